"""The judges workbook (sheet `judges`): parse and validate every row, write the template.

Pure: no ORM, no settings. The service matches venues and enterprises and saves.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from submissions.excel import (
    EMAIL_RE,
    PHONE_RE,
    cell_text,
    column_letter,
    listing,
    read_header,
    workbook_problem,
)
from submissions.excel_template import CellError, Column, Position
from submissions.excel_writer import neutralise

SHEET = "judges"
EXAMPLE_MARK = "【示例】"
ROLE_LABELS = {"chair": "组长", "member": "评委"}

COLUMNS: tuple[Column, ...] = (
    Column("code", "评委编号", "code", True, 10, 10, "如 J01；同一活动内唯一"),
    Column("name", "姓名", "name", True, 60, 10, ""),
    Column(
        "affiliation",
        "工作单位",
        "affiliation",
        False,
        200,
        30,
        "企业全称；与本活动已登记的企业同名时自动关联（用于回避）",
    ),
    Column("group", "所属集团", "group", False, 200, 20, "选填"),
    Column("province", "省份", "province", False, 20, 8, "选填"),
    Column("venue", "分会场", "venue", False, None, 8, "分会场序号，如 1；留空表示暂不安排"),
    Column("role", "角色", "role", False, None, 8, "组长 / 评委（默认评委）"),
    Column("phone", "手机", "phone", False, 30, 14, "选填"),
    Column("email", "电子邮箱", "email", False, 254, 24, "选填"),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


@dataclass(frozen=True)
class JudgeRow:
    row: int
    code: str
    name: str
    affiliation: str = ""
    group: str = ""
    province: str = ""
    venue: int | None = None
    role: str = "member"
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class JudgesParse:
    judges: tuple[JudgeRow, ...]
    errors: tuple[CellError, ...]
    positions: Mapping[str, Position] = field(default_factory=dict, compare=False)

    @property
    def ok(self) -> bool:
        return not self.errors


def judge_cell_error(
    row: int, key: str, positions: Mapping[str, Position], message: str
) -> CellError:
    """Return an error at a cell of the judges sheet, named by the header as written."""
    position = positions.get(key)
    if position is None:
        return CellError(SHEET, row, COLUMN_BY_KEY[key].label, "", message)
    return CellError(SHEET, row, position.title, column_letter(position.index), message)


def parse_judges_workbook(source: str | IO[bytes]) -> JudgesParse:
    """Read the `judges` sheet of an .xlsx file and validate every row."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    problem = workbook_problem(source) if hasattr(source, "seek") else None
    if problem:
        return JudgesParse((), (CellError(SHEET, None, "", "", problem),))
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        message = _("无法读取文件：请上传 Excel 工作簿（.xlsx）")
        return JudgesParse((), (CellError(SHEET, None, "", "", message),))
    try:
        names = {name.strip().lower(): name for name in workbook.sheetnames}
        if SHEET not in names:
            message = _("缺少工作表“%(sheet)s”（现有：%(sheets)s）") % {
                "sheet": SHEET,
                "sheets": listing(workbook.sheetnames),
            }
            return JudgesParse((), (CellError(SHEET, None, "", "", message),))
        return parse_judge_rows(workbook[names[SHEET]].iter_rows(values_only=True))
    finally:
        workbook.close()


def parse_judge_rows(rows: Iterable[Sequence[Any]]) -> JudgesParse:
    """Validate the header row and every judge row; collect all errors."""
    iterator = iter(rows)
    positions, header_errors = read_header(next(iterator, None) or (), SHEET, COLUMNS)
    if header_errors:
        return JudgesParse((), tuple(header_errors))
    judges: list[JudgeRow] = []
    errors: list[CellError] = []
    code_rows: dict[str, int] = {}
    chair_rows: dict[int, int] = {}
    for number, values in enumerate(iterator, start=2):
        cells = {
            key: cell_text(values[p.index] if p.index < len(values) else None)
            for key, p in positions.items()
        }
        if not any(cells.values()) or cells.get("code", "").startswith(EXAMPLE_MARK):
            continue
        judge, row_errors = _parse_row(cells, number, positions)
        errors.extend(row_errors)
        if judge is None:
            continue
        key = judge.code.upper()
        if key in code_rows:
            message = _("评委编号与第%(row)s行重复") % {"row": code_rows[key]}
            errors.append(judge_cell_error(number, "code", positions, message))
            continue
        code_rows[key] = number
        if judge.role == "chair":
            if judge.venue in chair_rows:
                message = _(
                    "第%(venue)s分会场的组长已在第%(row)s行填写，每个分会场只有一位组长"
                ) % {
                    "venue": judge.venue,
                    "row": chair_rows[judge.venue],
                }
                errors.append(judge_cell_error(number, "role", positions, message))
                continue
            chair_rows[judge.venue] = number
        judges.append(judge)
    return JudgesParse(tuple(judges), tuple(errors), positions)


def _parse_row(
    cells: Mapping[str, str], number: int, positions: Mapping[str, Position]
) -> tuple[JudgeRow | None, list[CellError]]:
    errors: list[CellError] = []

    def fail(key: str, message: str) -> None:
        errors.append(judge_cell_error(number, key, positions, message))

    for column in COLUMNS:
        value = cells.get(column.key, "")
        if column.required and not value:
            fail(column.key, _("必填，不能为空"))
        elif column.max_length and len(value) > column.max_length:
            fail(column.key, _("不能超过 %(n)s 个字符") % {"n": column.max_length})
    venue = None
    if cells.get("venue"):
        text = cells["venue"].removeprefix("第").removesuffix("分会场")
        if text.isdigit() and int(text) > 0:
            venue = int(text)
        else:
            fail("venue", _("“%(value)s”不是分会场序号（如 1）") % {"value": cells["venue"]})
    role = "member"
    if cells.get("role"):
        role = _role(cells["role"])
        if role is None:
            fail(
                "role",
                _("“%(value)s”不是有效的角色（组长 / 评委）") % {"value": cells["role"]},
            )
        elif role == "chair" and venue is None and not cells.get("venue"):
            fail("venue", _("组长必须填写分会场"))
    phone = cells.get("phone", "")
    if phone and (not PHONE_RE.match(phone) or sum(c.isdigit() for c in phone) < 5):
        fail("phone", _("“%(value)s”不是有效的电话号码") % {"value": phone})
    email = cells.get("email", "")
    if email and not EMAIL_RE.match(email):
        fail("email", _("“%(value)s”不是有效的电子邮箱") % {"value": email})
    if errors:
        return None, errors
    return (
        JudgeRow(
            row=number,
            code=cells["code"],
            name=cells["name"],
            affiliation=cells.get("affiliation", ""),
            group=cells.get("group", ""),
            province=cells.get("province", ""),
            venue=venue,
            role=role or "member",
            phone=phone,
            email=email,
        ),
        [],
    )


def _role(value: str) -> str | None:
    token = value.strip().lower()
    for key, label in ROLE_LABELS.items():
        if token in (key, label, "评审组长" if key == "chair" else "评审组成员"):
            return key
    return None


EXAMPLE_JUDGE = JudgeRow(
    row=2,
    code=f"{EXAMPLE_MARK}J01",
    name="张三",
    affiliation="某某机械有限公司",
    group="某某集团",
    province="浙江",
    venue=1,
    role="chair",
    phone="13800000000",
    email="zhangsan@example.com",
)


def judge_values(judge: JudgeRow) -> list[Any]:
    return [
        judge.code,
        judge.name,
        judge.affiliation,
        judge.group,
        judge.province,
        judge.venue,
        ROLE_LABELS[judge.role],
        judge.phone,
        judge.email,
    ]


def write_judges_template(out: str | IO[bytes], judges: Iterable[JudgeRow] = ()) -> int:
    """Write the judges workbook (with an example row when empty); return the judges written."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([f"{column.label} [{column.alias}]" for column in COLUMNS])
    for index, column in enumerate(COLUMNS):
        sheet.cell(row=1, column=index + 1).font = Font(bold=True)
        sheet.column_dimensions[column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    count = 0
    for judge in judges:
        sheet.append(judge_values(judge))
        for cell in sheet[sheet.max_row]:
            if neutralise(cell.value)[1]:
                cell.data_type = "s"
                cell.quotePrefix = True
        count += 1
    if not count:
        sheet.append(judge_values(EXAMPLE_JUDGE))
    role_letter = column_letter(list(COLUMN_BY_KEY).index("role"))
    validation = DataValidation(
        type="list", formula1='"组长,评委"', allow_blank=True, showErrorMessage=True
    )
    validation.add(f"{role_letter}2:{role_letter}1000")
    sheet.add_data_validation(validation)
    notes = workbook.create_sheet("填写说明")
    notes.append(["表头", "必填", "填写说明"])
    for column in COLUMNS:
        notes.append(
            [f"{column.label} [{column.alias}]", "是" if column.required else "", column.help]
        )
    notes.append([])
    notes.append([f"评委编号以“{EXAMPLE_MARK}”开头的行是示例，导入时忽略。"])
    workbook.save(out)
    return count
