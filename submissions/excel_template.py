"""The entries workbook's shape (design.md §4): sheet names, labels, columns and row types.

Pure data: no ORM, no request, no settings. Everything here is the fixed Chinese interface
of the template, shared by reading and validating (excel.py) and writing (excel_writer.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

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
class SummaryRow:
    recommender: str
    counts: tuple[int, ...]  # one per category, in CATEGORY_LABELS order
    enterprises: int

    @property
    def total(self) -> int:
        return sum(self.counts)


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


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
