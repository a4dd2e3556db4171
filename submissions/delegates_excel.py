"""The delegates workbook (design.md §4 "Excel: delegates"): parse and validate, write.

Pure code: no ORM, no request, no settings. Every error carries its sheet, row and column,
and all rows are checked before anything is saved, like the entries workbook whose reading
helpers this module reuses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from .excel import EMAIL_RE, _cell, _header_token, _text, listing, workbook_problem
from .excel_template import CellError, Column, Position, _letter
from .validators import credit_code_problem, normalise_credit_code

SHEET = "delegates"
KIND_LABELS = {"delegate": "代表", "guest": "嘉宾", "judge": "评委", "staff": "工作人员"}
YES = {"是", "y", "yes", "true", "1", "需要"}
NO = {"否", "n", "no", "false", "0", "不需要", ""}
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")

COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", "name", True, 60, 10),
    Column("organization", "单位", "organization", True, 200, 30, "单位全称"),
    Column("credit_code", "统一社会信用代码", "credit_code", False, 18, 22, "选填；填写时校验"),
    Column("title", "职务", "title", False, 100, 14),
    Column("phone", "手机", "phone", True, 20, 14, "11位手机号，同一活动内不得重复"),
    Column("email", "电子邮箱", "email", False, 254, 24),
    Column("kind", "参会类型", "kind", True, None, 10, "代表 / 嘉宾 / 评委 / 工作人员"),
    Column("lodging", "住宿", "lodging", False, None, 8, "是 / 否"),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


@dataclass(frozen=True)
class DelegateRow:
    row: int
    name: str
    organization: str
    credit_code: str
    title: str
    mobile: str
    email: str
    kind: str  # a key of KIND_LABELS
    lodging: bool


@dataclass(frozen=True)
class DelegateParse:
    delegates: tuple[DelegateRow, ...]
    errors: tuple[CellError, ...]
    positions: Mapping[str, Position] = field(default_factory=dict, compare=False)

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise_mobile(value: str) -> str:
    """Return a mobile number without blanks, dashes or the +86 prefix."""
    digits = re.sub(r"[\s\-()（）]", "", str(value))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def mobile_problem(value: str) -> str | None:
    """Return why a mobile number is refused, or None."""
    if not MOBILE_RE.match(value):
        return _("手机号“%(value)s”无效，应为11位数字、以1开头") % {"value": value}
    return None


def parse_kind(value: str) -> str | None:
    """Return the key of a kind written in Chinese or English, or None."""
    token = value.strip().lower()
    for key, label in KIND_LABELS.items():
        if token in (key, label):
            return key
    return None


def error_at(
    sheet: str, row: int, key: str, positions: Mapping[str, Position], message: str
) -> CellError:
    """Return an error at a cell, naming the column by its header in the sheet."""
    position = positions.get(key)
    if position is None:
        return CellError(sheet, row, COLUMN_BY_KEY[key].label, "", message)
    return CellError(sheet, row, position.title, _letter(position.index), message)


def parse_workbook(source: str | IO[bytes]) -> DelegateParse:
    """Read the `delegates` sheet of an .xlsx file and validate every row."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    problem = workbook_problem(source) if hasattr(source, "seek") else None
    if problem:
        return DelegateParse((), (CellError(SHEET, None, "", "", problem),))
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        message = _("无法读取文件：请上传 Excel 工作簿（.xlsx）")
        return DelegateParse((), (CellError(SHEET, None, "", "", message),))
    try:
        names = {name.strip().lower(): name for name in workbook.sheetnames}
        if SHEET not in names:
            message = _("缺少工作表“%(sheet)s”（现有：%(sheets)s）") % {
                "sheet": SHEET,
                "sheets": listing(workbook.sheetnames),
            }
            return DelegateParse((), (CellError(SHEET, None, "", "", message),))
        return parse_rows(workbook[names[SHEET]].iter_rows(values_only=True))
    finally:
        workbook.close()


def parse_rows(rows: Iterable[Sequence[Any]], *, sheet: str = SHEET) -> DelegateParse:
    """Validate the header row and every data row; collect all errors."""
    iterator = iter(rows)
    positions, errors = _read_header(next(iterator, None) or (), sheet)
    if errors:
        return DelegateParse((), tuple(errors))
    delegates: list[DelegateRow] = []
    first_row_of_mobile: dict[str, int] = {}
    for number, values in enumerate(iterator, start=2):
        cells = {key: _text(_cell(values, p.index)) for key, p in positions.items()}
        if not any(cells.values()):
            continue
        row, row_errors = _parse_row(cells, number, positions, sheet)
        errors.extend(row_errors)
        if row is None:
            continue
        if row.mobile in first_row_of_mobile:
            message = _("手机号与第%(row)s行重复（同一活动内每人一个手机号）") % {
                "row": first_row_of_mobile[row.mobile]
            }
            errors.append(error_at(sheet, number, "phone", positions, message))
            continue
        first_row_of_mobile[row.mobile] = number
        delegates.append(row)
    return DelegateParse(tuple(delegates), tuple(errors), positions)


def _read_header(header: Sequence[Any], sheet: str) -> tuple[dict[str, Position], list[CellError]]:
    lookup = {}
    for column in COLUMNS:
        for name in (column.label, column.alias, f"{column.label}[{column.alias}]"):
            lookup[_header_token(name)] = column.key
    positions: dict[str, Position] = {}
    errors: list[CellError] = []
    for index, value in enumerate(header):
        title = _text(value)
        key = lookup.get(_header_token(title))
        if key is None:
            continue
        if key in positions:
            errors.append(CellError(sheet, 1, title, _letter(index), _("表头重复，请只保留一列")))
            continue
        positions[key] = Position(index, title)
    missing = [c.label for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        message = _("第1行缺少必需的表头：%(headers)s") % {"headers": listing(missing)}
        errors.append(CellError(sheet, 1, "", "", message))
    return positions, errors


def _parse_row(
    text: dict[str, str], number: int, positions: dict[str, Position], sheet: str
) -> tuple[DelegateRow | None, list[CellError]]:
    errors: list[CellError] = []

    def fail(key: str, message: str) -> None:
        errors.append(error_at(sheet, number, key, positions, message))

    for column in COLUMNS:
        value = text.get(column.key, "")
        if column.required and not value:
            title = positions[column.key].title if column.key in positions else column.label
            fail(column.key, _("“%(column)s”不能为空") % {"column": title})
        elif column.max_length and len(value) > column.max_length:
            fail(
                column.key,
                _("不能超过%(limit)s个字符（现为%(length)s个）")
                % {"limit": column.max_length, "length": len(value)},
            )
    credit_code = normalise_credit_code(text.get("credit_code", ""))
    if credit_code:
        problem = credit_code_problem(credit_code)
        if problem:
            fail("credit_code", problem)
    mobile = normalise_mobile(text.get("phone", ""))
    if mobile:
        problem = mobile_problem(mobile)
        if problem:
            fail("phone", problem)
    email = text.get("email", "")
    if email and not EMAIL_RE.match(email):
        fail("email", _("电子邮箱“%(value)s”格式不正确") % {"value": email})
    kind = parse_kind(text.get("kind", ""))
    if text.get("kind") and kind is None:
        fail(
            "kind",
            _("参会类型“%(value)s”无效，应为：%(choices)s")
            % {"value": text["kind"], "choices": listing(KIND_LABELS.values())},
        )
    lodging_text = text.get("lodging", "").strip().lower()
    if lodging_text not in YES and lodging_text not in NO:
        fail("lodging", _("住宿应填“是”或“否”，现为“%(value)s”") % {"value": text["lodging"]})
    if errors:
        return None, errors
    return (
        DelegateRow(
            row=number,
            name=text["name"],
            organization=text["organization"],
            credit_code=credit_code,
            title=text.get("title", ""),
            mobile=mobile,
            email=email,
            kind=kind or "delegate",
            lodging=lodging_text in YES,
        ),
        [],
    )


def header_row() -> list[str]:
    """Return the header row of the template and of exports."""
    return [column.label for column in COLUMNS]


def write_rows(target, rows: Iterable[Sequence[Any]], *, sheet: str, headers: Sequence[str]):
    """Write one sheet of rows under a header into an .xlsx file (path or binary stream)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .excel_writer import neutralise_sheet

    workbook = Workbook(write_only=False)
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(list(headers))
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        worksheet.append(list(row))
    neutralise_sheet(worksheet)
    for index, _title in enumerate(headers):
        worksheet.column_dimensions[_letter(index)].width = 16
    worksheet.freeze_panes = "A2"
    workbook.save(target)
