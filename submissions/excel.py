"""The entries workbook (design.md §4): read and validate its rows.

Pure code: no ORM, no request, no settings. Parsing collects every error with its sheet,
row and column instead of stopping at the first, so that a recommending body can fix a
whole file in one pass. openpyxl is imported inside the functions that read or write.

The errors are worded in the active language (gettext). What belongs to the workbook is
never translated: sheet names, the category, topic-type and role labels a cell holds and
every text written into a workbook are Chinese, the fixed interface of the template, and
an error names a column by its header as written in the sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .excel_template import (
    CATEGORY_LABELS,
    COLUMN_BY_KEY,
    COLUMNS,
    EXAMPLE_MARK,
    ROLE_LABELS,
    SHEET,
    TOPIC_TYPE_LABELS,
    CellError,
    Column,
    EntryRow,
    MemberRow,
    ParseResult,
    Position,
    _letter,
)
from .filetypes import size_problem
from .validators import credit_code_problem, normalise_credit_code

DEFAULT_MEMBER_LIMITS: Mapping[str, tuple[int, int]] = {
    "qc": (3, 15),
    "team": (1, 30),
    "story": (1, 30),
}
MEMBER_SEPARATORS = re.compile(r"[；;\n]")
MEMBER_FIELD_SEPARATORS = re.compile(r"[/／]")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^[0-9+\-() （）转]+$")
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


# A real entries or score workbook of thousands of rows unpacks to a few MB; anything far
# larger is a decompression bomb and is refused before openpyxl inflates it.
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def workbook_problem(
    source: IO[bytes],
    *,
    max_bytes: int = MAX_WORKBOOK_BYTES,
    max_unpacked: int = MAX_UNPACKED_BYTES,
) -> str | None:
    """Return why an uploaded .xlsx is refused, or None; only the zip directory is read."""
    import zipfile

    position = source.tell()
    try:
        source.seek(0, 2)
        size = source.tell()
        if size > max_bytes:
            return size_problem(size, max_bytes)
        source.seek(0)
        if source.read(4) != b"PK\x03\x04":
            return _("无法读取文件：请上传 Excel 工作簿（.xlsx）")
        source.seek(0)
        with zipfile.ZipFile(source) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return _("文件已损坏，无法作为 Excel 工作簿（.xlsx）读取")
    finally:
        source.seek(position)
    if unpacked > max_unpacked:
        return _(
            "工作簿解压后达 %(size)s MB，超过上限 %(limit)s MB"
            "（疑似压缩炸弹），已拒绝；请另存为普通 .xlsx 后重新上传"
        ) % {"size": f"{unpacked / 1048576:.0f}", "limit": max_unpacked // 1048576}
    return None


def parse_workbook(
    source: str | IO[bytes], *, member_limits: Mapping[str, tuple[int, int]] | None = None
) -> ParseResult:
    """Read the `entries` sheet of an .xlsx file and validate every row."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    problem = workbook_problem(source) if hasattr(source, "seek") else None
    if problem:
        return ParseResult((), (CellError(SHEET, None, "", "", problem),))
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        message = _("无法读取文件：请上传 Excel 工作簿（.xlsx）")
        return ParseResult((), (CellError(SHEET, None, "", "", message),))
    try:
        names = {name.strip().lower(): name for name in workbook.sheetnames}
        if SHEET not in names:
            message = _("缺少工作表“%(sheet)s”（现有：%(sheets)s）") % {
                "sheet": SHEET,
                "sheets": listing(workbook.sheetnames),
            }
            return ParseResult((), (CellError(SHEET, None, "", "", message),))
        sheet = workbook[names[SHEET]]
        return parse_rows(sheet.iter_rows(values_only=True), member_limits=member_limits)
    finally:
        workbook.close()


def parse_rows(
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str = SHEET,
    member_limits: Mapping[str, tuple[int, int]] | None = None,
) -> ParseResult:
    """Validate the header row and every data row; collect all errors."""
    limits = DEFAULT_MEMBER_LIMITS if member_limits is None else member_limits
    iterator = iter(rows)
    header = next(iterator, None)
    positions, header_errors = _read_header(header or (), sheet)
    if header_errors:
        return ParseResult((), tuple(header_errors))

    entries: list[EntryRow] = []
    errors: list[CellError] = []
    first_row_of: dict[tuple[str, str, str], int] = {}
    name_of_code: dict[str, tuple[str, int]] = {}
    code_of_name: dict[str, tuple[str, int]] = {}
    for number, values in enumerate(iterator, start=2):
        cells = {key: _cell(values, position.index) for key, position in positions.items()}
        if all(value is None or str(value).strip() == "" for value in cells.values()):
            continue
        if _text(cells.get("enterprise")).startswith(EXAMPLE_MARK):
            continue
        entry, row_errors = _parse_row(cells, number, positions, sheet, limits)
        errors.extend(row_errors)
        if entry is None:
            continue
        key = (entry.enterprise, entry.category, entry.title)
        if key in first_row_of:
            errors.append(
                cell_error(
                    sheet,
                    number,
                    "title",
                    positions,
                    _("与第%(row)s行重复（同一企业、类别和题目）") % {"row": first_row_of[key]},
                )
            )
            continue
        first_row_of[key] = number
        seen_code = code_of_name.setdefault(entry.enterprise, (entry.credit_code, number))
        if seen_code[0] != entry.credit_code:
            errors.append(
                cell_error(
                    sheet,
                    number,
                    "credit_code",
                    positions,
                    _("同一企业在第%(row)s行填写的统一社会信用代码为“%(code)s”，与本行不一致")
                    % {"row": seen_code[1], "code": seen_code[0] or _("空")},
                )
            )
            continue
        if entry.credit_code:
            seen = name_of_code.setdefault(entry.credit_code, (entry.enterprise, number))
            if seen[0] != entry.enterprise:
                errors.append(
                    cell_error(
                        sheet,
                        number,
                        "credit_code",
                        positions,
                        _(
                            "同一统一社会信用代码在第%(row)s行对应的企业名称为“%(name)s”，"
                            "与本行不一致"
                        )
                        % {"row": seen[1], "name": seen[0]},
                    )
                )
                continue
        entries.append(entry)
    return ParseResult(tuple(entries), tuple(errors), positions)


def _read_header(
    header: Sequence[Any], sheet: str, columns: Sequence[Column] = COLUMNS
) -> tuple[dict[str, Position], list[CellError]]:
    """Return where each known column is (by Chinese header or English alias) and the errors."""
    lookup = {}
    for column in columns:
        for name in (column.label, column.alias, f"{column.label}[{column.alias}]"):
            lookup[_header_token(name)] = column.key
    positions: dict[str, Position] = {}
    errors = []
    for index, value in enumerate(header):
        title = _text(value)
        token = _header_token(title)
        if not token or token not in lookup:
            continue
        key = lookup[token]
        if key in positions:
            errors.append(CellError(sheet, 1, title, _letter(index), _("表头重复，请只保留一列")))
            continue
        positions[key] = Position(index, title)
    missing = [
        column.label for column in columns if column.required and column.key not in positions
    ]
    if missing:
        message = _("第1行缺少必需的表头：%(headers)s") % {"headers": listing(missing)}
        errors.append(CellError(sheet, 1, "", "", message))
    return positions, errors


# Public names of the reading helpers, for the other workbooks (judges, delegates, …).
def read_header(
    header: Sequence[Any], sheet: str, columns: Sequence[Column]
) -> tuple[dict[str, Position], list[CellError]]:
    """Return where each of the columns is in a header row, and the header's errors."""
    return _read_header(header, sheet, columns)


def _header_token(value: str) -> str:
    return re.sub(r"[\s\[\]【】（）()]", "", value).lower()


def _parse_row(
    cells: dict[str, Any],
    number: int,
    positions: dict[str, Position],
    sheet: str,
    limits: Mapping[str, tuple[int, int]],
) -> tuple[EntryRow | None, list[CellError]]:
    errors: list[CellError] = []

    def fail(key: str, message: str) -> None:
        errors.append(cell_error(sheet, number, key, positions, message))

    text = {key: _text(value) for key, value in cells.items()}
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

    category = _choice(text.get("category", ""), CATEGORY_LABELS)
    if text.get("category") and category is None:
        fail(
            "category",
            _("类别“%(value)s”无效，应为：%(choices)s")
            % {"value": text["category"], "choices": listing(CATEGORY_LABELS.values())},
        )

    credit_code = normalise_credit_code(text.get("credit_code", ""))
    if credit_code:
        problem = credit_code_problem(credit_code)
        if problem:
            fail("credit_code", problem)

    topic_type = ""
    raw_topic = text.get("topic_type", "")
    if raw_topic:
        topic_type = _choice(raw_topic, TOPIC_TYPE_LABELS) or ""
        if not topic_type:
            fail(
                "topic_type",
                _("课题类型“%(value)s”无效，应为：%(choices)s")
                % {"value": raw_topic, "choices": listing(TOPIC_TYPE_LABELS.values())},
            )
        elif category and category != "qc":
            fail("topic_type", _("只有QC成果填写课题类型，本行类别不是QC成果"))
    elif category == "qc":
        fail("topic_type", _("QC成果必须填写课题类型"))

    start = _date_or_error(cells.get("start"), "start", fail)
    end = _date_or_error(cells.get("end"), "end", fail)
    if start and end and end < start:
        fail(
            "end",
            _("活动结束（%(end)s）早于活动开始（%(start)s）")
            % {"end": end.isoformat(), "start": start.isoformat()},
        )

    members, member_problems = parse_members(text.get("members", ""))
    for problem in member_problems:
        fail("members", problem)
    if category and not member_problems and category in limits:
        low, high = limits[category]
        if not low <= len(members) <= high:
            label = CATEGORY_LABELS[category]
            fail(
                "members",
                _("%(category)s的成员应为%(low)s至%(high)s人，本行为%(count)s人")
                % {"category": label, "low": low, "high": high, "count": len(members)},
            )

    phone = text.get("phone", "")
    if phone and (not PHONE_RE.match(phone) or sum(c.isdigit() for c in phone) < 5):
        fail("phone", _("联系电话“%(value)s”格式不正确") % {"value": phone})
    email = text.get("email", "")
    if email and not EMAIL_RE.match(email):
        fail("email", _("电子邮箱“%(value)s”格式不正确") % {"value": email})

    if errors:
        return None, errors
    return (
        EntryRow(
            category=category or "",
            enterprise=text["enterprise"],
            group=text["group"],
            title=text["title"],
            credit_code=credit_code,
            recommender=text.get("recommender", ""),
            topic_type=topic_type,
            group_reg_no=text.get("group_reg_no", ""),
            topic_reg_no=text.get("topic_reg_no", ""),
            start=start,
            end=end,
            members=members,
            contact=text.get("contact", ""),
            phone=phone,
            email=email,
            row=number,
        ),
        [],
    )


def parse_members(value: str) -> tuple[tuple[MemberRow, ...], list[str]]:
    """Split `姓名/角色/职务；…` into members; return them and the problems found."""
    members = []
    problems = []
    parts = [part.strip() for part in MEMBER_SEPARATORS.split(value or "") if part.strip()]
    for position, part in enumerate(parts, start=1):
        fields = [piece.strip() for piece in MEMBER_FIELD_SEPARATORS.split(part)]
        if len(fields) < 2 or len(fields) > 3 or not fields[0]:
            problems.append(
                _("第%(position)s位成员“%(member)s”应写作 姓名/角色/职务")
                % {"position": position, "member": part}
            )
            continue
        role = _choice(fields[1], ROLE_LABELS)
        if role is None:
            problems.append(
                _("第%(position)s位成员“%(member)s”的角色“%(role)s”无效，应为：%(choices)s")
                % {
                    "position": position,
                    "member": fields[0],
                    "role": fields[1],
                    "choices": listing(ROLE_LABELS.values()),
                }
            )
            continue
        post = fields[2] if len(fields) == 3 else ""
        if len(fields[0]) > 60 or len(post) > 60:
            problems.append(
                _("第%(position)s位成员“%(member)s”的姓名或职务超过60个字符")
                % {"position": position, "member": fields[0][:20]}
            )
            continue
        members.append(MemberRow(name=fields[0], role=role, post=post))
    return tuple(members), problems


def format_members(members: Iterable[MemberRow]) -> str:
    """Return members as `姓名/角色/职务；…`, the form parse_members reads."""
    return "；".join(
        "/".join(
            [member.name, ROLE_LABELS.get(member.role, member.role)]
            + ([member.post] if member.post else [])
        )
        for member in members
    )


def _choice(value: str, labels: Mapping[str, str]) -> str | None:
    value = value.strip()
    if not value:
        return None
    for key, label in labels.items():
        if value == label or value.lower() == key:
            return key
    return None


def _date_or_error(value: Any, key: str, fail) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    parsed = parse_date(value)
    if parsed is None:
        fail(key, _("日期“%(value)s”无法识别，请填写如 2021-03-01") % {"value": _text(value)})
    return parsed


def parse_date(value: Any) -> dt.date | None:
    """Return a date from a cell value (date, datetime, Excel serial or text), or None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        return None
    match = DATE_RE.match(str(value).strip())
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def listing(items: Iterable[str]) -> str:
    """Return the items as one list in the active language (、 in Chinese)."""
    return pgettext("list separator", "、").join(items)


def _cell(values: Sequence[Any], index: int) -> Any:
    return values[index] if index < len(values) else None


def cell_text(value: Any) -> str:
    """Return a cell's value as trimmed text (whole numbers without .0, dates as ISO)."""
    return _text(value)


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 0-based column index (0 → A)."""
    return _letter(index)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def cell_error(
    sheet: str, row: int, key: str, positions: Mapping[str, Position], message: str
) -> CellError:
    """Return an error at a cell, naming its column by the header written in the sheet."""
    position = positions.get(key)
    if position is None:
        return CellError(sheet, row, COLUMN_BY_KEY[key].label, "", message)
    return CellError(sheet, row, position.title, _letter(position.index), message)
