"""What a new contest or honour starts with: per nomination kind (org, person, craftsman) the
category's name, honour and code prefix, and a written-review (资料评审) score sheet whose
items add up to 100. Pure data and one check; every value is the organizer's to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

SHEET_TOTAL = Decimal("100")
SHEET_NOTE = "默认评分表，请与主办方确认"
ITEM_STEP = Decimal("0.5")


@dataclass(frozen=True)
class DefaultItem:
    code: str
    name: str
    max_points: Decimal
    criteria: str


@dataclass(frozen=True)
class KindDefaults:
    kind: str
    name: str
    honour: str
    code_prefix: str
    sheet_name: str
    items: tuple[DefaultItem, ...]
    included: bool = False


def _items(*rows: tuple[str, str, int, str]) -> tuple[DefaultItem, ...]:
    return tuple(
        DefaultItem(code, name, Decimal(points), criteria) for code, name, points, criteria in rows
    )


CRAFTSMAN = KindDefaults(
    kind="craftsman",
    name="质量工匠",
    honour="质量工匠",
    code_prefix="GJ",
    sheet_name="质量工匠书面评审表",
    included=True,
    items=_items(
        (
            "G1",
            "职业素养与工匠精神",
            20,
            "爱岗敬业、精益求精，严守工艺纪律和质量标准，在班组和车间起示范作用",
        ),
        (
            "G2",
            "技能水平",
            25,
            "职业技能等级、技能竞赛成绩，掌握关键工序的绝技绝活，能解决生产中的技术难题",
        ),
        (
            "G3",
            "质量业绩",
            30,
            "近三年个人产品质量指标（一次交检合格率、零缺陷、质量损失等）有数据、可核实，质量改进成效显著",
        ),
        (
            "G4",
            "创新与攻关",
            15,
            "技术革新、工艺改进、QC成果、专利或合理化建议，经济效益经财务部门确认",
        ),
        ("G5", "传承与带徒", 10, "带徒传艺、技能培训，培养的徒弟取得技能等级或竞赛成绩"),
    ),
)
ORGANIZATION = KindDefaults(
    kind="org",
    name="优秀组织单位",
    honour="群众性质量管理活动优秀组织单位",
    code_prefix="ZZ",
    sheet_name="优秀组织单位书面评审表",
    items=_items(
        (
            "Z1",
            "组织领导与制度",
            20,
            "领导重视，推进机构和职责明确，有群众性质量管理活动的管理办法和激励制度",
        ),
        ("Z2", "活动普及", 25, "QC小组和质量信得过班组的注册数、活动率、普及率，职工参与面广"),
        (
            "Z3",
            "成果与效益",
            30,
            "历年成果数量与获奖情况，经济效益经财务部门确认，成果得到推广应用",
        ),
        ("Z4", "培训与推进", 15, "诊断师、推进者队伍建设，培训覆盖面，成果发表和交流机制"),
        ("Z5", "示范引领", 10, "在行业或地区的示范作用，对其他单位的帮扶和交流"),
    ),
)
PERSON = KindDefaults(
    kind="person",
    name="优秀推进者",
    honour="群众性质量管理活动优秀推进者",
    code_prefix="GR",
    sheet_name="优秀推进者书面评审表",
    items=_items(
        ("R1", "岗位与年限", 15, "从事群众性质量管理推进工作的年限和岗位职责"),
        (
            "R2",
            "推进实绩",
            35,
            "组织推进QC小组、质量信得过班组活动的实绩，本单位活动率、普及率和成果的提升",
        ),
        ("R3", "指导成果", 25, "本人指导或参与的成果获奖情况，成果效益和推广应用"),
        ("R4", "培训与传播", 15, "授课、诊断、编写教材或文章，传播质量管理方法"),
        ("R5", "示范引领", 10, "职业道德和示范作用，获得的荣誉"),
    ),
)
DEFAULTS = {d.kind: d for d in (ORGANIZATION, PERSON, CRAFTSMAN)}

# A second phase on site after the written review (现场答辩, or a craftsman's 技能比武): its
# sheet per kind, and the weights the two phases are combined by (written, on site).
DEFENCE_WEIGHTS = (Decimal("0.6"), Decimal("0.4"))
DEFENCE_SHEETS = {
    "craftsman": (
        "质量工匠技能比武评分表",
        "技能比武",
        _items(
            ("S1", "技能操作", 60, "在规定时间内完成比武项目：加工质量、效率、安全与工艺纪律"),
            ("S2", "现场答辩", 40, "回答评委提问：对工艺、质量标准和质量改进的理解"),
        ),
    ),
}
DEFAULT_DEFENCE_SHEET = (
    "现场答辩评分表",
    "现场答辩",
    _items(
        ("S1", "现场陈述", 50, "事迹陈述清楚、数据真实可核实，与推荐材料一致"),
        ("S2", "答辩", 50, "回答评委提问准确、有见解，体现推进质量管理活动的能力"),
    ),
)
KINDS = ("org", "person", "craftsman")  # the order of the form's sections


def items_total(items: tuple[DefaultItem, ...]) -> Decimal:
    """Return the sum of the items' maximum points."""
    return sum((item.max_points for item in items), Decimal("0"))
