"""The demo's nominations as plain values, reproducible from a seed: the 40-year honours of
cmqa-40 (优秀组织单位, 优秀个人) with the experts of their written review, the 质量工匠
contest its plenary announced with its first nominations, and the balanced split of the
dossiers among the experts. Nothing here touches the database.

The people are invented (names drawn from the demo's word lists, contacts at example.com);
the organizations are the demo's own enterprises.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from judging.demo import names
from judging.demo.plan import EnterpriseSpec, person_name

# The written review of the honours closes before the plenary (25 September) that honours them.
HONOURS_DUE = dt.date(2021, 9, 10)
EXPERTS_PER_VENUE = 7
EXPERTS_FROM_NOMINEES = 2  # seated experts whose own organization is nominated: they stand aside
EXPERT_QUALIFICATION = "中机质协诊断师"


@dataclass(frozen=True)
class HonourSpec:
    kind: str
    prefix: str
    name: str
    honour: str
    order: int
    nominations: int
    quota: int
    limit: int  # nominations per recommending body
    readers: int
    venue: int
    venue_name: str
    sheet_name: str


HONOURS = (
    HonourSpec(
        kind="org",
        prefix="ZZ",
        name="40年优秀组织单位",
        honour="群众性质量管理活动40年优秀组织单位",
        order=4,
        nominations=20,
        quota=12,
        limit=2,
        readers=5,
        venue=11,
        venue_name="40年优秀组织单位书面评审组",
        sheet_name="40年优秀组织单位书面评审表",
    ),
    HonourSpec(
        kind="person",
        prefix="GR",
        name="40年优秀个人",
        honour="群众性质量管理活动40年优秀推进者",
        order=5,
        nominations=30,
        quota=18,
        limit=3,
        readers=5,
        venue=12,
        venue_name="40年优秀个人书面评审组",
        sheet_name="40年优秀推进者书面评审表",
    ),
)

CONTEST = {
    "slug": "cmqa-craftsman-2022",
    "name": "机械工业“质量工匠”大赛",
    "short_name": "质量工匠大赛",
    "category": {
        "kind": "craftsman",
        "name": "质量工匠",
        "honour": "质量工匠",
        "code_prefix": "GJ",
        "honour_prefix": "机械工业",
        "nomination_limit": 2,
        "readers_per_nomination": 5,
        "quota_count": 20,
    },
    "nominations": 6,
}
CONTEST_NOTICE = "\n\n".join(
    [
        "各有关单位：",
        "机械工业是国民经济的基础，承担着为各行各业提供基础装备的重任。夯实机械工业基础需要一大批默默奉献的基层业务骨干，他们用辛勤的汗水和高质量的产品诠释着精益求精的工匠精神。为大力弘扬工匠精神，经研究，决定开展机械工业“质量工匠”大赛。现将有关事项通知如下。",
        "一、参加对象：机械工业企业生产、检验一线的技术工人和质量工作者，从事本岗位工作10年以上，近三年无质量和安全责任事故。",
        "二、推荐程序：由各省市机械工业质量管理协会（联合会）、集团公司推荐，每个推荐单位限报2名。推荐材料包括推荐表、事迹材料（3000字以内）以及技能等级、获奖证书等证明材料。",
        "三、评审方式：组织专家书面评审，每份材料由5位专家按《质量工匠书面评审表》评分，择优评选“机械工业质量工匠”，评选结果公示7天。",
        "四、请在申报截止前通过本平台提交推荐材料。",
    ]
)

POSITIONS = ("质量管理部部长", "质量管理办公室主任", "QC小组活动推进办主任", "工会副主席", "首席质量官", "质量总监")  # fmt: skip
CRAFTS = (
    # trade, skill level, what the craftsman is known for
    ("钳工", "高级技师", "擅长精密模具装配，研磨配合间隙控制在0.002毫米以内"),
    ("焊工", "高级技师", "掌握高强钢、铝合金等多种材料的焊接工艺，焊缝一次探伤合格率保持100%"),
    ("数控车工", "技师", "主持曲轴、缸套等关键件数控程序优化，加工节拍缩短18%"),
    ("装配钳工", "高级技师", "负责变速器总成装配与调试，独创的预紧力分步校核法在全线推广"),
    (
        "质检员",
        "技师",
        "坚守终检岗位，累计拦截批量质量隐患40余起，编写的检验作业指导书成为公司标准",
    ),
    ("铸造工", "技师", "攻克缸体铸件砂眼、气孔难题，铸件废品率由4.2%降至1.1%"),
    ("电工", "高级技师", "精通数控设备电气故障诊断，设备故障停机时间下降35%"),
    ("涂装工", "技师", "改进喷涂参数和烘烤曲线，车身漆面一次合格率提升到98.6%"),
)


@dataclass(frozen=True)
class NominationSpec:
    prefix: str
    code: str
    enterprise: str
    recommender: str
    group_name: str
    title: str
    achievements: str
    nominee_name: str = ""
    nominee_gender: str = ""
    nominee_position: str = ""
    nominee_years: int | None = None
    nominee_trade: str = ""
    nominee_skill_level: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    submitted_on: dt.date | None = None


@dataclass(frozen=True)
class ExpertSpec:
    code: str
    name: str
    venue: int
    role: str
    enterprise: str | None
    affiliation_name: str
    parent_group: str
    province: str
    phone: str


@dataclass(frozen=True)
class HonoursPlan:
    nominations: tuple[NominationSpec, ...]
    experts: tuple[ExpertSpec, ...]


def _phone(rng: random.Random, used: set[str]) -> str:
    """Return a mobile number in a range the demo's delegates and judges never use."""
    while True:
        number = f"177{rng.randrange(10**8):08d}"
        if number not in used:
            used.add(number)
            return number


def _pick(rng, enterprises, count: int, limit: int, *, repeat: bool) -> list[EnterpriseSpec]:
    """Return ``count`` nominated enterprises, at most ``limit`` per recommending body; the
    bigger enterprises (by the demo's weight) are likelier."""
    chosen, per_body = [], {}
    pool = list(enterprises)
    while len(chosen) < count and pool:
        enterprise = rng.choices(pool, [e.weight for e in pool])[0]
        if not repeat:
            pool.remove(enterprise)
        if per_body.get(enterprise.recommender, 0) >= limit:
            if repeat:
                pool.remove(enterprise)
            continue
        per_body[enterprise.recommender] = per_body.get(enterprise.recommender, 0) + 1
        chosen.append(enterprise)
    return chosen


def _org(rng: random.Random, spec: HonourSpec, number: int, enterprise: EnterpriseSpec):
    since = rng.randrange(1980, 1996)
    text = (
        f"{enterprise.short_name}自{since}年起开展群众性质量管理活动，建立了QC小组活动管理办法和成果发表、激励制度。"
        f"累计注册QC小组{rng.randrange(300, 3000)}个、质量信得过班组{rng.randrange(20, 300)}个，"
        f"近五年QC小组活动率{rng.randrange(85, 100)}%、普及率{rng.randrange(40, 90)}%；"
        f"{rng.randrange(20, 160)}项成果获全国机械工业优秀QC成果或标杆，累计直接经济效益{rng.randrange(2000, 90000)}万元。"
        f"培养中机质协诊断师{rng.randrange(3, 40)}名，每年举办成果发表会并向行业交流。"
    )
    return dict(
        group_name=enterprise.short_name,
        title=f"{enterprise.short_name}群众性质量管理活动40年",
        achievements=text,
    )


def _person(rng: random.Random, spec: HonourSpec, number: int, enterprise: EnterpriseSpec):
    name, years = person_name(rng), rng.randrange(20, 39)
    position = rng.choice(POSITIONS)
    before = rng.randrange(55, 80)
    text = (
        f"{name}从事质量管理工作{years}年，现任{enterprise.short_name}{position}。"
        f"组织推进QC小组和质量信得过班组活动，本单位QC小组活动率由{before}%提升到{rng.randrange(max(before + 10, 88), 100)}%；"
        f"指导的{rng.randrange(8, 60)}项成果获全国机械工业优秀QC成果或标杆；"
        f"编写QC小组活动培训教材，累计授课{rng.randrange(200, 1500)}学时、培训员工{rng.randrange(1000, 12000)}人次。"
    )
    return dict(
        group_name=rng.choice(("质量管理部", "质量部", "企业管理部", "工会")),
        title=f"{name}同志推进群众性质量管理活动事迹",
        achievements=text,
        nominee_name=name,
        nominee_gender=rng.choices(["男", "女"], [7, 3])[0],
        nominee_position=position,
        nominee_years=years,
    )


def _craftsman(rng: random.Random, number: int, enterprise: EnterpriseSpec):
    name, years = person_name(rng), rng.randrange(12, 33)
    trade, level, feat = CRAFTS[(number - 1) % len(CRAFTS)]
    text = (
        f"{name}，{trade}，{level}，从事本岗位工作{years}年。{feat}。"
        f"近三年个人产品一次交检合格率{rng.randrange(990, 1000) / 10}%，连续{rng.randrange(5, 16)}年无质量责任事故；"
        f"主持或参与QC成果{rng.randrange(2, 12)}项，提出合理化建议{rng.randrange(20, 150)}条；"
        f"带徒{rng.randrange(3, 20)}名，其中{rng.randrange(1, 4)}名取得技师以上职业资格。"
    )
    return dict(
        group_name=rng.choice(names.DEPARTMENTS),
        title=f"推荐{name}为机械工业质量工匠",
        achievements=text,
        nominee_name=name,
        nominee_gender=rng.choices(["男", "女"], [8, 2])[0],
        nominee_position=rng.choice(("班组长", "首席技师", "操作工", "检验班长")),
        nominee_years=years,
        nominee_trade=trade,
        nominee_skill_level=level,
    )


def _nomination(rng, prefix, number, enterprise, fields, submitted_on, used_phones):
    contact = person_name(rng)
    return NominationSpec(
        prefix=prefix,
        code=f"{prefix}-{number:03d}",
        enterprise=enterprise.name,
        recommender=enterprise.recommender,
        contact_name=contact,
        contact_phone=_phone(rng, used_phones),
        contact_email=f"{prefix.lower()}{number:03d}@example.com",
        submitted_on=submitted_on,
        **fields,
    )


def build_honours(*, seed: int, enterprises: Sequence[EnterpriseSpec]) -> HonoursPlan:
    """Return the 40-year honours' nominations and the experts of their written review."""
    used_phones: set[str] = set()
    nominations, experts = [], []
    for spec in HONOURS:
        rng = random.Random(f"{seed}:honours:{spec.prefix}")
        picked = _pick(rng, enterprises, spec.nominations, spec.limit, repeat=spec.kind != "org")
        titles = set()
        for number, enterprise in enumerate(picked, start=1):
            make = _org if spec.kind == "org" else _person
            fields = make(rng, spec, number, enterprise)
            while (enterprise.name, fields["title"]) in titles:  # the same name twice
                fields = make(rng, spec, number, enterprise)
            titles.add((enterprise.name, fields["title"]))
            submitted = dt.date(2021, 7, 1) + dt.timedelta(days=rng.randrange(40))
            nominations.append(
                _nomination(rng, spec.prefix, number, enterprise, fields, submitted, used_phones)
            )
        experts += _experts(rng, spec, picked, len(experts), used_phones)
    return HonoursPlan(nominations=tuple(nominations), experts=tuple(experts))


def _experts(rng, spec: HonourSpec, nominated, offset: int, used_phones) -> list[ExpertSpec]:
    own = list(dict.fromkeys(e.name for e in nominated))
    by_name = {e.name: e for e in nominated}
    from_nominees = rng.sample(own, min(EXPERTS_FROM_NOMINEES, len(own)))
    experts = []
    for seat in range(EXPERTS_PER_VENUE):
        code = f"S{offset + seat + 1:02d}"
        role = "chair" if seat == 0 else "member"
        if role == "member" and from_nominees:
            enterprise = by_name[from_nominees.pop()]
            where = (enterprise.name, enterprise.name, enterprise.parent_group, enterprise.province)
        else:
            institution, province = rng.choice(names.JUDGE_INSTITUTIONS)
            where = (None, institution, "", province)
        experts.append(
            ExpertSpec(
                code=code,
                name=person_name(rng),
                venue=spec.venue,
                role=role,
                enterprise=where[0],
                affiliation_name=where[1],
                parent_group=where[2],
                province=where[3],
                phone=_phone(rng, used_phones),
            )
        )
    return experts


def contest_dates(today: dt.date) -> dict[str, dt.datetime | dt.date]:
    """Return the contest's dates around ``today``: its submission window is open."""
    opens = dt.datetime.combine(today - dt.timedelta(days=20), dt.time(9, 0))
    closes = dt.datetime.combine(today + dt.timedelta(days=70), dt.time(17, 0))
    start = closes.date() + dt.timedelta(days=30)
    return {
        "submission_opens": opens,
        "submission_closes": closes,
        "start_date": start,
        "end_date": start + dt.timedelta(days=1),
    }


def build_craftsmen(
    *, seed: int, enterprises: Sequence[EnterpriseSpec], today: dt.date
) -> tuple[NominationSpec, ...]:
    """Return the contest's first nominations, submitted in the days before ``today``."""
    rng = random.Random(f"{seed}:craftsmen")
    category = CONTEST["category"]
    picked = _pick(
        rng, enterprises, CONTEST["nominations"], category["nomination_limit"], repeat=False
    )
    used_phones: set[str] = set()
    return tuple(
        _nomination(
            rng,
            category["code_prefix"],
            number,
            enterprise,
            _craftsman(rng, number, enterprise),
            today - dt.timedelta(days=rng.randrange(1, 15)),
            used_phones,
        )
        for number, enterprise in enumerate(picked, start=1)
    )
