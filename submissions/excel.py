"""The entries workbook (design.md §4): parse and validate rows, generate rows, write the file.

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
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .filetypes import size_problem
from .validators import credit_code_problem, normalise_credit_code

SHEET = "entries"
SUMMARY_SHEET = "推荐汇总表"
HELP_SHEET = "填写说明"
EXAMPLE_MARK = "【示例】"
NO_RECOMMENDER = "（未填推荐单位）"

CATEGORY_LABELS = {"qc": "QC成果", "team": "质量信得过班组", "story": "质量品牌故事"}
TOPIC_TYPE_LABELS = {
    "onsite": "现场型",
    "tackling": "攻关型",
    "management": "管理型",
    "service": "服务型",
    "innovation": "创新型",
}
ROLE_LABELS = {
    "leader": "组长",
    "deputy": "副组长",
    "member": "组员",
    "advisor": "顾问",
    "speaker": "讲述人",
}
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
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    alias: str
    required: bool = False
    max_length: int | None = None
    width: int = 16
    help: str = ""


COLUMNS: tuple[Column, ...] = (
    Column(
        "category", "类别", "category", True, None, 14, "QC成果 / 质量信得过班组 / 质量品牌故事"
    ),
    Column("enterprise", "企业名称", "enterprise", True, 200, 30, "企业法定全称（印在证书上）"),
    Column(
        "credit_code", "统一社会信用代码", "credit_code", False, 18, 22, "18位，选填；填写时校验"
    ),
    Column("recommender", "推荐单位", "recommender", False, 200, 24, "选填"),
    Column("group", "小组名称", "group", True, 120, 20, "QC小组、班组或讲述团队名称"),
    Column("title", "题目", "title", True, 200, 34, "成果或故事题目"),
    Column(
        "topic_type",
        "课题类型",
        "topic_type",
        False,
        None,
        10,
        "仅QC成果必填：现场型/攻关型/管理型/服务型/创新型",
    ),
    Column("group_reg_no", "小组注册号", "group_reg_no", False, 60, 16, "选填"),
    Column("topic_reg_no", "课题注册号", "topic_reg_no", False, 60, 16, "选填"),
    Column("start", "活动开始", "start", False, None, 12, "日期，如 2021-03-01"),
    Column("end", "活动结束", "end", False, None, 12, "日期，不早于活动开始"),
    Column(
        "members",
        "成员",
        "members",
        False,
        None,
        50,
        "姓名/角色/职务，多人以；分隔；角色：组长/副组长/组员/顾问/讲述人",
    ),
    Column("contact", "联系人", "contact", False, 60, 10, "选填"),
    Column("phone", "联系电话", "phone", False, 30, 16, "选填"),
    Column("email", "电子邮箱", "email", False, 254, 24, "选填"),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


@dataclass(frozen=True)
class MemberRow:
    name: str
    role: str  # a key of ROLE_LABELS
    post: str = ""


@dataclass(frozen=True)
class EntryRow:
    category: str  # a key of CATEGORY_LABELS
    enterprise: str
    group: str
    title: str
    credit_code: str = ""
    recommender: str = ""
    topic_type: str = ""  # a key of TOPIC_TYPE_LABELS, QC only
    group_reg_no: str = ""
    topic_reg_no: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    members: tuple[MemberRow, ...] = ()
    contact: str = ""
    phone: str = ""
    email: str = ""
    row: int = field(default=0, compare=False)

    @property
    def key(self) -> tuple[str, str, str]:
        """Identify the entry the way a re-import matches it: enterprise, category, title."""
        return (self.credit_code or self.enterprise, self.category, self.title)


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str
    letter: str
    message: str

    def __str__(self) -> str:
        if self.row and self.column and self.letter:
            where = _("工作表“%(sheet)s”第%(row)s行，%(letter)s列“%(column)s”")
        elif self.row and self.column:
            where = _("工作表“%(sheet)s”第%(row)s行，“%(column)s”列")
        elif self.row:
            where = _("工作表“%(sheet)s”第%(row)s行")
        elif self.column:
            where = _("工作表“%(sheet)s”，“%(column)s”列")
        else:
            where = _("工作表“%(sheet)s”")
        values = {
            "sheet": self.sheet,
            "row": self.row,
            "letter": self.letter,
            "column": self.column,
        }
        return _("%(where)s：%(message)s") % {"where": where % values, "message": self.message}


@dataclass(frozen=True)
class Position:
    """Where a column is in the sheet, and its header as written there (quoted in errors)."""

    index: int
    title: str


@dataclass(frozen=True)
class ParseResult:
    entries: tuple[EntryRow, ...]
    errors: tuple[CellError, ...]
    # Where each known column is in the sheet, for errors found later (by the database).
    positions: Mapping[str, Position] = field(default_factory=dict, compare=False)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class SummaryRow:
    recommender: str
    counts: tuple[int, ...]  # one per category, in CATEGORY_LABELS order
    enterprises: int

    @property
    def total(self) -> int:
        return sum(self.counts)


# Reading ------------------------------------------------------------------------------

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


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_error(
    sheet: str, row: int, key: str, positions: Mapping[str, Position], message: str
) -> CellError:
    """Return an error at a cell, naming its column by the header written in the sheet."""
    position = positions.get(key)
    if position is None:
        return CellError(sheet, row, COLUMN_BY_KEY[key].label, "", message)
    return CellError(sheet, row, position.title, _letter(position.index), message)


# Generating ---------------------------------------------------------------------------


def header_row() -> list[str]:
    return [column.label for column in COLUMNS]


def entry_values(entry: EntryRow) -> list[Any]:
    """Return one entry as plain cell values in template column order."""
    return [
        CATEGORY_LABELS.get(entry.category, entry.category),
        entry.enterprise,
        entry.credit_code,
        entry.recommender,
        entry.group,
        entry.title,
        TOPIC_TYPE_LABELS.get(entry.topic_type, entry.topic_type),
        entry.group_reg_no,
        entry.topic_reg_no,
        entry.start,
        entry.end,
        format_members(entry.members),
        entry.contact,
        entry.phone,
        entry.email,
    ]


def entry_rows(entries: Iterable[EntryRow]) -> Iterator[list[Any]]:
    """Yield the header row, then one row of plain values per entry."""
    yield header_row()
    for entry in entries:
        yield entry_values(entry)


def summarise_by_recommender(entries: Iterable[EntryRow]) -> list[SummaryRow]:
    """Count entries per recommending body and category (the 推荐汇总表)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    enterprises: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        body = entry.recommender or NO_RECOMMENDER
        counts[body][entry.category] += 1
        enterprises[body].add(entry.enterprise)
    return [
        SummaryRow(
            recommender=body,
            counts=tuple(counts[body][key] for key in CATEGORY_LABELS),
            enterprises=len(enterprises[body]),
        )
        for body in sorted(counts, key=lambda name: (name == NO_RECOMMENDER, name))
    ]


def summary_rows(summary: Sequence[SummaryRow]) -> Iterator[list[Any]]:
    """Yield the 推荐汇总表 as plain values: header, one row per body, the total."""
    yield ["序号", "推荐单位", *CATEGORY_LABELS.values(), "合计", "企业数"]
    for number, row in enumerate(summary, start=1):
        yield [number, row.recommender, *row.counts, row.total, row.enterprises]
    totals = [sum(row.counts[i] for row in summary) for i in range(len(CATEGORY_LABELS))]
    yield ["", "合计", *totals, sum(totals), sum(row.enterprises for row in summary)]


EXAMPLE_ENTRY = EntryRow(
    category="qc",
    enterprise=f"{EXAMPLE_MARK}杭州某某机械股份有限公司",
    credit_code="91330106MA2AB1C2XM",
    recommender="浙江省机械工业质量管理协会",
    group="精益求精QC小组",
    title="降低缸体加工不良率",
    topic_type="onsite",
    group_reg_no="QC-2021-018",
    topic_reg_no="KT-2021-045",
    start=dt.date(2021, 1, 4),
    end=dt.date(2021, 6, 30),
    members=(
        MemberRow("张伟", "leader", "车间主任"),
        MemberRow("李娜", "deputy", "工艺员"),
        MemberRow("王强", "member", "操作工"),
    ),
    contact="张伟",
    phone="0571-88886666",
    email="zhangwei@example.com",
)


# Writing ------------------------------------------------------------------------------


def neutralise(value: Any) -> tuple[Any, bool]:
    """Return the value and whether it must be stored as literal text (not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return value, True
    return value, False


def neutralise_sheet(sheet) -> None:
    """Store every formula-looking text of a filled openpyxl sheet as literal text."""
    for row in sheet.iter_rows():
        for cell in row:
            value, as_text = neutralise(cell.value)
            if as_text:
                cell.data_type = "s"
                cell.quotePrefix = True


def write_workbook(
    out: str | IO[bytes], entries: Iterable[EntryRow], *, example: bool = False
) -> int:
    """Write the entries template with the given entries; return how many were written.

    One pass over `entries` (a generator is fine): the 推荐汇总表 is counted while the
    rows stream out. Text that a spreadsheet would run as a formula (= + - @) is stored
    as a quoted text cell, so it is shown and re-imported unchanged but never evaluated.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    summary_sheet = workbook.create_sheet(SUMMARY_SHEET)
    help_sheet = workbook.create_sheet(HELP_SHEET)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[_letter(index)].width = column.width
    sheet.freeze_panes = "A2"

    def styled_row(ws, values, header=False):
        cells = []
        for value in values:
            value, as_text = neutralise(value)
            cell = WriteOnlyCell(ws, value=None if value == "" else value)
            if as_text:
                cell.data_type = "s"
                cell.quotePrefix = True
            if header:
                cell.font = bold
                cell.fill = fill
                cell.alignment = Alignment(horizontal="center")
            cells.append(cell)
        return cells

    sheet.append(styled_row(sheet, header_row(), header=True))
    collected: list[EntryRow] = []
    for entry in entries:
        sheet.append(styled_row(sheet, entry_values(entry)))
        collected.append(entry)
    count = len(collected)
    if example and count == 0:
        sheet.append(styled_row(sheet, entry_values(EXAMPLE_ENTRY)))

    last = max(1001, count + 501)
    lists = {
        "category": CATEGORY_LABELS.values(),
        "topic_type": TOPIC_TYPE_LABELS.values(),
    }
    for key, choices in lists.items():
        letter = _letter(list(COLUMN_BY_KEY).index(key))
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(choices) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="输入无效",
            error=f"请从下拉列表中选择{COLUMN_BY_KEY[key].label}",
        )
        validation.add(f"{letter}2:{letter}{last}")
        sheet.data_validations.append(validation)

    summary_sheet.column_dimensions["B"].width = 34
    summary_sheet.freeze_panes = "A2"
    summary = summary_rows(summarise_by_recommender(collected))
    summary_sheet.append(styled_row(summary_sheet, next(summary), header=True))
    for values in summary:
        summary_sheet.append(styled_row(summary_sheet, values))

    help_sheet.column_dimensions["A"].width = 20
    help_sheet.column_dimensions["B"].width = 10
    help_sheet.column_dimensions["C"].width = 70
    help_sheet.append(styled_row(help_sheet, ["表头", "必填", "填写说明"], header=True))
    for column in COLUMNS:
        help_sheet.append(
            styled_row(
                help_sheet,
                [f"{column.label} [{column.alias}]", "是" if column.required else "", column.help],
            )
        )
    help_sheet.append([])
    help_sheet.append(
        [f"企业名称以“{EXAMPLE_MARK}”开头的行是示例，导入时忽略；每行一项成果，从第2行开始填写。"]
    )
    workbook.save(out)
    return count
