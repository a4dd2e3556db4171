"""The nominations workbook (design.md §4 "Excel: nominations"): parse, validate, write.

Pure code: no ORM, no request, no settings. Every error carries its sheet, row and column,
and every row is checked before anything is saved, like the entries workbook whose reading
helpers this module reuses. A category is written as the event calls it (its name) or by
its kind (org / person / craftsman); the caller passes the event's names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from .excel import PHONE_RE, _cell, _text, listing, read_header, workbook_problem
from .excel_template import EXAMPLE_MARK, HELP_SHEET, CellError, Column, Position, _letter

SHEET = "nominations"
KIND_LABELS = {"org": "优秀组织单位", "person": "优秀个人", "craftsman": "质量工匠"}
PERSON_KINDS = frozenset({"person", "craftsman"})
CRAFTSMAN_ONLY = ("trade", "skill_level")
PERSON_ONLY = ("name", "gender", "position", "years", *CRAFTSMAN_ONLY)
GENDERS = {"男": "男", "女": "女", "m": "男", "f": "女", "male": "男", "female": "女"}
YEARS_RE = re.compile(r"^(\d{1,2})\s*年?$")
MAX_YEARS = 70

COLUMNS: tuple[Column, ...] = (
    Column("category", "类别", "category", True, None, 14, "类别名称，或 org / person / craftsman"),
    Column(
        "organization",
        "被推荐单位",
        "organization",
        True,
        200,
        30,
        "单位法定全称；推荐个人、质量工匠时为其所在单位",
    ),
    Column("name", "姓名", "name", False, 60, 10, "推荐个人、质量工匠时必填；推荐单位时留空"),
    Column("gender", "性别", "gender", False, None, 6, "男 / 女，选填"),
    Column("position", "职务", "position", False, 100, 16, "选填"),
    Column("years", "工龄", "years", False, None, 8, "整数（年），选填"),
    Column("trade", "工种", "trade", False, 60, 14, "仅质量工匠：工种或专业，选填"),
    Column("skill_level", "技能等级", "skill_level", False, 40, 14, "仅质量工匠：技能等级或职称"),
    Column("recommender", "推荐单位", "recommender", False, 200, 24, "选填；限报数量按推荐单位计"),
    Column("summary", "事迹摘要", "summary", True, 3000, 60, "主要事迹，不超过3000字"),
    Column("contact", "联系人", "contact", False, 60, 10, "选填"),
    Column("phone", "联系电话", "phone", False, 30, 16, "选填"),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


@dataclass(frozen=True)
class NominationRow:
    category: str  # a kind: org, person or craftsman
    organization: str
    summary: str
    name: str = ""
    gender: str = ""
    position: str = ""
    years: int | None = None
    trade: str = ""
    skill_level: str = ""
    recommender: str = ""
    contact: str = ""
    phone: str = ""
    row: int = field(default=0, compare=False)

    @property
    def nominee(self) -> str:
        """Who is put forward: the person, or the organization itself."""
        return self.name or self.organization

    @property
    def key(self) -> tuple[str, str, str]:
        """Identify the nomination the way a re-import matches it."""
        return (self.category, self.organization, self.nominee)


@dataclass(frozen=True)
class NominationParse:
    nominations: tuple[NominationRow, ...]
    errors: tuple[CellError, ...]
    positions: Mapping[str, Position] = field(default_factory=dict, compare=False)

    @property
    def ok(self) -> bool:
        return not self.errors


def error_at(
    sheet: str, row: int | None, key: str, positions: Mapping[str, Position], message: str
) -> CellError:
    """Return an error at a cell, naming the column by its header in the sheet."""
    position = positions.get(key)
    if position is None:
        return CellError(sheet, row, COLUMN_BY_KEY[key].label, "", message)
    return CellError(sheet, row, position.title, _letter(position.index), message)


def category_lookup(names: Mapping[str, str] | None) -> dict[str, str]:
    """Return every accepted spelling of a category (its name, its kind) → the kind.

    `names` maps each nomination kind of the event to the category's name there.
    """
    names = KIND_LABELS if names is None else names
    lookup = {kind: kind for kind in names}
    lookup.update({name.strip().lower(): kind for kind, name in names.items()})
    return lookup


def parse_workbook(
    source: str | IO[bytes], *, categories: Mapping[str, str] | None = None
) -> NominationParse:
    """Read the `nominations` sheet of an .xlsx file and validate every row."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    problem = workbook_problem(source) if hasattr(source, "seek") else None
    if problem:
        return NominationParse((), (CellError(SHEET, None, "", "", problem),))
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        message = _("无法读取文件：请上传 Excel 工作簿（.xlsx）")
        return NominationParse((), (CellError(SHEET, None, "", "", message),))
    try:
        sheets = {name.strip().lower(): name for name in workbook.sheetnames}
        if SHEET not in sheets:
            message = _("缺少工作表“%(sheet)s”（现有：%(sheets)s）") % {
                "sheet": SHEET,
                "sheets": listing(workbook.sheetnames),
            }
            return NominationParse((), (CellError(SHEET, None, "", "", message),))
        rows = workbook[sheets[SHEET]].iter_rows(values_only=True)
        return parse_rows(rows, categories=categories)
    finally:
        workbook.close()


def parse_rows(
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str = SHEET,
    categories: Mapping[str, str] | None = None,
) -> NominationParse:
    """Validate the header row and every data row; collect all errors.

    `categories` maps each nomination kind the event has to its category's name; a row of
    another kind is refused. Without it the three kinds are taken by their usual names.
    """
    names = KIND_LABELS if categories is None else categories
    iterator = iter(rows)
    positions, errors = read_header(next(iterator, None) or (), sheet, COLUMNS)
    if errors:
        return NominationParse((), tuple(errors))
    nominations: list[NominationRow] = []
    first_row_of: dict[tuple[str, str, str], int] = {}
    for number, values in enumerate(iterator, start=2):
        cells = {key: _cell(values, position.index) for key, position in positions.items()}
        text = {key: _text(value) for key, value in cells.items()}
        if not any(text.values()) or text.get("organization", "").startswith(EXAMPLE_MARK):
            continue
        row, row_errors = _parse_row(text, number, positions, sheet, names)
        errors.extend(row_errors)
        if row is None:
            continue
        if row.key in first_row_of:
            message = _("与第%(row)s行重复（同一类别推荐同一单位或个人）") % {
                "row": first_row_of[row.key]
            }
            errors.append(
                error_at(sheet, number, "name" if row.name else "organization", positions, message)
            )
            continue
        first_row_of[row.key] = number
        nominations.append(row)
    return NominationParse(tuple(nominations), tuple(errors), positions)


def parse_years(value: str) -> int | None:
    """Return a number of years written as 12, 12.0 or 12年, or None when it is not one."""
    match = YEARS_RE.match(value.strip())
    if not match:
        return None
    years = int(match.group(1))
    return years if years <= MAX_YEARS else None


def parse_gender(value: str) -> str | None:
    """Return 男 or 女 for a gender written in Chinese or English, or None."""
    return GENDERS.get(value.strip().lower())


def _parse_row(
    text: dict[str, str],
    number: int,
    positions: Mapping[str, Position],
    sheet: str,
    names: Mapping[str, str],
) -> tuple[NominationRow | None, list[CellError]]:
    errors: list[CellError] = []

    def fail(key: str, message: str) -> None:
        errors.append(error_at(sheet, number, key, positions, message))

    def header(key: str) -> str:
        return positions[key].title if key in positions else COLUMN_BY_KEY[key].label

    for column in COLUMNS:
        value = text.get(column.key, "")
        if column.required and not value:
            fail(column.key, _("“%(column)s”不能为空") % {"column": header(column.key)})
        elif column.max_length and len(value) > column.max_length:
            fail(
                column.key,
                _("不能超过%(limit)s个字符（现为%(length)s个）")
                % {"limit": column.max_length, "length": len(value)},
            )

    raw_category = text.get("category", "")
    kind = category_lookup(names).get(raw_category.strip().lower())
    if raw_category and kind is None:
        choices = [*names.values(), *names]
        fail(
            "category",
            _("类别“%(value)s”无效，应为：%(choices)s")
            % {"value": raw_category, "choices": listing(choices)},
        )
    if kind in PERSON_KINDS and not text.get("name"):
        fail(
            "name",
            _("“%(category)s”推荐的是个人，须填写“%(column)s”")
            % {"category": names[kind], "column": header("name")},
        )
    not_for_kind = PERSON_ONLY if kind == "org" else CRAFTSMAN_ONLY if kind == "person" else ()
    for key in not_for_kind:
        if text.get(key):
            fail(
                key,
                _("“%(category)s”不填写“%(column)s”，本列应留空")
                % {"category": names[kind], "column": header(key)},
            )

    gender = ""
    if text.get("gender"):
        gender = parse_gender(text["gender"]) or ""
        if not gender:
            fail("gender", _("性别“%(value)s”无效，应为：男、女") % {"value": text["gender"]})
    years = None
    if text.get("years"):
        years = parse_years(text["years"])
        if years is None:
            fail(
                "years",
                _("工龄“%(value)s”无效，应为0至%(max)s的整数年数，如 12")
                % {"value": text["years"], "max": MAX_YEARS},
            )
    phone = text.get("phone", "")
    if phone and (not PHONE_RE.match(phone) or sum(c.isdigit() for c in phone) < 5):
        fail("phone", _("联系电话“%(value)s”格式不正确") % {"value": phone})

    if errors:
        errors.sort(key=lambda error: (len(error.letter), error.letter))  # by column
        return None, errors
    return (
        NominationRow(
            category=kind or "",
            organization=text["organization"],
            summary=text["summary"],
            name=text.get("name", ""),
            gender=gender,
            position=text.get("position", ""),
            years=years,
            trade=text.get("trade", ""),
            skill_level=text.get("skill_level", ""),
            recommender=text.get("recommender", ""),
            contact=text.get("contact", ""),
            phone=phone,
            row=number,
        ),
        [],
    )


# Writing ------------------------------------------------------------------------------

EXAMPLE_ROWS = (
    NominationRow(
        category="person",
        organization=f"{EXAMPLE_MARK}杭州某某机械股份有限公司",
        name="张伟",
        gender="男",
        position="质量部部长",
        years=18,
        recommender="浙江省机械工业质量管理协会",
        summary="主持推进全面质量管理十余年，带领企业QC小组取得多项成果。",
        contact="李娜",
        phone="0571-88886666",
    ),
)


def header_row() -> list[str]:
    """Return the header row of the template and of exports."""
    return [column.label for column in COLUMNS]


def nomination_values(row: NominationRow, names: Mapping[str, str] | None = None) -> list[Any]:
    """Return one nomination as plain cell values in template column order."""
    names = KIND_LABELS if names is None else names
    return [
        names.get(row.category, row.category),
        row.organization,
        row.name,
        row.gender,
        row.position,
        row.years,
        row.trade,
        row.skill_level,
        row.recommender,
        row.summary,
        row.contact,
        row.phone,
    ]


def nomination_rows(
    rows: Iterable[NominationRow], names: Mapping[str, str] | None = None
) -> Iterator[list[Any]]:
    """Yield the header row, then one row of plain values per nomination."""
    yield header_row()
    for row in rows:
        yield nomination_values(row, names)


def help_rows() -> Iterator[list[Any]]:
    """Yield the 填写说明 sheet: one line per column, then how example rows are marked."""
    yield ["表头", "必填", "填写说明"]
    for column in COLUMNS:
        required = "是" if column.required else ("个人必填" if column.key == "name" else "")
        yield [f"{column.label} [{column.alias}]", required, column.help]
    yield []
    yield [
        f"被推荐单位以“{EXAMPLE_MARK}”开头的行是示例，导入时忽略；每行一项推荐，从第2行开始填写。"
    ]


def write_workbook(
    out: str | IO[bytes],
    rows: Iterable[NominationRow],
    *,
    names: Mapping[str, str] | None = None,
    example: bool = False,
) -> int:
    """Write the nominations template with the given rows; return how many were written."""
    from openpyxl import Workbook

    from .excel_writer import append_sheet, list_validation

    names = KIND_LABELS if names is None else names
    workbook = Workbook(write_only=True)
    rows = list(rows)
    shown = rows or (list(EXAMPLE_ROWS) if example else [])
    sheet = append_sheet(
        workbook,
        SHEET,
        nomination_rows(shown, names),
        widths=[column.width for column in COLUMNS],
    )
    for key, choices in (("category", names.values()), ("gender", ("男", "女"))):
        letter = _letter(list(COLUMN_BY_KEY).index(key))
        sheet.data_validations.append(
            list_validation(choices, COLUMN_BY_KEY[key].label, f"{letter}2:{letter}1001")
        )
    append_sheet(workbook, HELP_SHEET, help_rows(), widths=[20, 10, 70])
    workbook.save(out)
    return len(rows)
