"""The demo event's generated rows as plain values, reproducible from a seed.

Nothing here touches the database. Every block of entries (one per unit of --scale) draws
from its own random stream, so scaling up extends a smaller demo without changing it.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from judging.demo import names
from judging.demo.catalogue import ENTRY_COUNTS, SHOWCASE, VENUE_CATEGORIES
from judging.demo.creditcode import make_credit_code

ENTERPRISES_PER_BLOCK = 170
STORIES_PER_ENTERPRISE = 3
QC_TOPIC_TYPES = [
    ("onsite", 42),
    ("tackling", 18),
    ("management", 9),
    ("service", 5),
    ("innovation", 26),
]
JUDGES_FROM_ENTRANTS = 0.4


@dataclass(frozen=True)
class EnterpriseSpec:
    name: str
    short_name: str
    credit_code: str
    province: str
    industry: str
    parent_group: str
    recommender: str
    weight: int


@dataclass(frozen=True)
class MemberSpec:
    name: str
    role: str
    post: str
    title: str
    gender: str
    education: str


@dataclass(frozen=True)
class EntrySpec:
    prefix: str
    code: str
    enterprise: str
    recommender: str
    group_name: str
    title: str
    topic_type: str
    group_reg_no: str
    topic_reg_no: str
    activity_start: dt.date | None
    activity_end: dt.date | None
    meetings: int | None
    attendance_rate: Decimal | None
    benefit_wan: Decimal | None
    contact_name: str
    contact_phone: str
    contact_email: str
    submitted_on: dt.date
    members: tuple[MemberSpec, ...]


@dataclass(frozen=True)
class JudgeSpec:
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
class DemoPlan:
    seed: int
    scale: int
    recommenders: tuple[tuple[str, str], ...]
    enterprises: tuple[EnterpriseSpec, ...]
    entries: tuple[EntrySpec, ...]
    judges: tuple[JudgeSpec, ...]


def build_plan(*, seed: int, scale: int = 1) -> DemoPlan:
    """Return every generated row of the demo event for a seed and a scale."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    enterprises: list[EnterpriseSpec] = []
    entries: list[EntrySpec] = []
    used_names: set[str] = set()
    used_codes: set[str] = set()
    for block in range(scale):
        block_enterprises = _enterprises(seed, block, used_names, used_codes)
        enterprises.extend(block_enterprises)
        entries.extend(_entries(seed, block, block_enterprises))
    block0 = enterprises[:ENTERPRISES_PER_BLOCK]
    judges = _judges(seed, block0, entries)
    recommenders = sorted({(e.recommender, _recommender_province(e)) for e in enterprises})
    return DemoPlan(
        seed=seed,
        scale=scale,
        recommenders=tuple(recommenders),
        enterprises=tuple(enterprises),
        entries=tuple(entries),
        judges=tuple(judges),
    )


def _recommender_province(enterprise: EnterpriseSpec) -> str:
    return "" if enterprise.recommender in names.GROUPS.values() else enterprise.province


def _recommender(province: str, group: str) -> str:
    if group:
        return names.GROUPS[group]
    if province == "浙江":
        return "浙江省机械工业联合会"
    return f"{names.PROVINCES[province][0]}机械工业质量管理协会"


def _credit_code(rng: random.Random, division: str, used: set[str]) -> str:
    while True:
        code = make_credit_code(division=division, org_body=f"{rng.randrange(10**8):08d}")
        if code not in used:
            used.add(code)
            return code


def _enterprises(seed: int, block: int, used_names: set[str], used_codes: set[str]):
    rng = random.Random(f"{seed}:enterprises:{block}")
    result = []
    if block == 0:
        for name, short, province, city, industry, group, weight in names.REAL_ENTERPRISES:
            division = names.PROVINCES[province][2][city][1]
            used_names.add(name)
            result.append(
                EnterpriseSpec(
                    name=name,
                    short_name=short,
                    credit_code=_credit_code(rng, division, used_codes),
                    province=province,
                    industry=industry,
                    parent_group=names.GROUPS.get(group, ""),
                    recommender=_recommender(province, group),
                    weight=weight,
                )
            )
    provinces = list(names.PROVINCES)
    province_weights = [names.PROVINCES[p][1] for p in provinces]
    suffixes = [s for s, _ in names.SUFFIXES]
    suffix_weights = [w for _, w in names.SUFFIXES]
    while len(result) < ENTERPRISES_PER_BLOCK:
        province = rng.choices(provinces, province_weights)[0]
        city, division = rng.choice(names.PROVINCES[province][2])
        brand = rng.choice(names.BRANDS)
        product, industry = rng.choice(names.PRODUCTS)
        suffix = rng.choices(suffixes, suffix_weights)[0]
        name = f"{city}{brand}{product}{suffix}"
        if name in used_names:
            continue
        used_names.add(name)
        result.append(
            EnterpriseSpec(
                name=name,
                short_name=f"{brand}{product}",
                credit_code=_credit_code(rng, division, used_codes),
                province=province,
                industry=industry,
                parent_group="",
                recommender=_recommender(province, ""),
                weight=rng.choice([1, 1, 1, 2]),
            )
        )
    return result


def _allocate(rng: random.Random, enterprises: list[EnterpriseSpec], pinned: dict[str, list]):
    """Return, per category prefix, the enterprises of its entries in running-code order."""
    needs = {p: n - len(pinned.get(p, [])) for p, n in ENTRY_COUNTS.items()}
    slots = list(range(len(enterprises)))
    slots += rng.choices(
        range(len(enterprises)),
        [e.weight for e in enterprises],
        k=sum(needs.values()) - len(slots),
    )
    rng.shuffle(slots)
    stories: dict[int, int] = {}
    allocation: dict[str, list] = {p: [] for p in ENTRY_COUNTS}
    rest = []
    for index in slots:
        if len(allocation["PP"]) < needs["PP"] and stories.get(index, 0) < STORIES_PER_ENTERPRISE:
            stories[index] = stories.get(index, 0) + 1
            allocation["PP"].append(index)
        else:
            rest.append(index)
    allocation["TD"] = rest[: needs["TD"]]
    allocation["QC"] = rest[needs["TD"] :]
    ordered = {}
    for prefix, indices in allocation.items():
        items = [("pinned", spec) for spec in pinned.get(prefix, [])]
        items += [("generated", enterprises[i]) for i in indices]
        rng.shuffle(items)
        ordered[prefix] = items
    return ordered


def _entries(seed: int, block: int, enterprises: list[EnterpriseSpec]) -> list[EntrySpec]:
    by_name = {e.name: e for e in enterprises}
    pinned: dict[str, list] = {}
    if block == 0:
        for prefix, enterprise, group, title in SHOWCASE:
            pinned.setdefault(prefix, []).append((by_name[enterprise], group, title))
    allocation = _allocate(random.Random(f"{seed}:allocation:{block}"), enterprises, pinned)
    result = []
    for prefix, items in allocation.items():
        used_titles: set[tuple[str, str]] = set()
        for position, (origin, item) in enumerate(items):
            number = block * ENTRY_COUNTS[prefix] + position + 1
            rng = random.Random(f"{seed}:{prefix}:{number}")
            if origin == "pinned":
                enterprise, group, title = item
                topic_type = _topic_type(rng, prefix, title)
            else:
                enterprise = item
                topic_type = _topic_type(rng, prefix, "")
                group = _group_name(rng, prefix, enterprise)
                title = _unique_title(rng, prefix, topic_type, enterprise, group, used_titles)
            used_titles.add((enterprise.name, title))
            result.append(_entry(rng, prefix, number, enterprise, group, title, topic_type))
    return result


def _topic_type(rng: random.Random, prefix: str, title: str) -> str:
    if prefix != "QC":
        return ""
    if title:
        return "innovation" if title.startswith("研制") else "onsite"
    kinds, weights = zip(*QC_TOPIC_TYPES, strict=True)
    return rng.choices(kinds, weights)[0]


def _unique_title(rng, prefix, topic_type, enterprise, group, used_titles) -> str:
    for _ in range(50):
        title = _title(rng, prefix, topic_type, enterprise, group)
        if (enterprise.name, title) not in used_titles:
            return title
    return f"{title}（{rng.randrange(2, 100)}）"


def _title(rng, prefix: str, topic_type: str, enterprise: EnterpriseSpec, group: str) -> str:
    part = rng.choice(names.PARTS)
    if prefix == "TD":
        return f"{rng.choice(names.TEAM_SLOGANS)}——{group}质量信得过班组建设"
    if prefix == "PP":
        phrase = rng.choice(names.STORY_PHRASES)
        return phrase if rng.random() < 0.6 else f"{phrase}——{enterprise.short_name}的质量故事"
    choices = {
        "onsite": [
            lambda: f"降低{part}{rng.choice(names.DEFECTS)}",
            lambda: f"提高{part}{rng.choice(names.PASS_RATES)}",
            lambda: f"缩短{part}{rng.choice(names.LINES)}",
        ],
        "tackling": [
            lambda: f"攻克{part}{rng.choice(names.ISSUES)}难题",
            lambda: f"解决{part}{rng.choice(names.ISSUES)}问题",
            lambda: f"提高{part}{rng.choice(names.PRECISION)}",
        ],
        "management": [
            lambda: f"提高{rng.choice(names.MANAGEMENT)}",
            lambda: f"缩短{rng.choice(names.CYCLES)}周期",
        ],
        "service": [lambda: f"提高{rng.choice(names.SERVICES)}"],
        "innovation": [
            lambda: f"研制{part}{rng.choice(names.TOOLS)}",
            lambda: f"{part}{rng.choice(names.TOOLS)}的研制",
            lambda: f"研发基于机器视觉的{part}缺陷检测系统",
        ],
    }[topic_type]
    return rng.choice(choices)()


def _group_name(rng: random.Random, prefix: str, enterprise: EnterpriseSpec) -> str:
    if prefix == "TD":
        return f"{rng.choice(names.DEPARTMENTS)}{rng.choice(names.TEAM_LINES)}班组"
    if prefix == "PP":
        return f"{enterprise.short_name}{rng.choice(['品牌故事宣讲团队', '质量故事讲述团', '品牌故事小组'])}"
    word = rng.choice(names.QC_WORDS)
    if rng.random() < 0.4:
        return f"{rng.choice(names.DEPARTMENTS)}{word}QC小组"
    return f"{word}QC小组" if rng.random() < 0.8 else f"{word}圈"


def person_name(rng: random.Random) -> str:
    """Return a plausible Chinese personal name."""
    given = rng.choice(names.GIVEN)
    if rng.random() < 0.7:
        given += rng.choice(names.GIVEN)
    return rng.choice(names.SURNAMES) + given


def _phone(rng: random.Random) -> str:
    return (
        f"1{rng.choice(['39', '38', '37', '35', '58', '59', '86', '88'])}{rng.randrange(10**8):08d}"
    )


def _members(rng: random.Random, prefix: str) -> tuple[MemberSpec, ...]:
    if prefix == "PP":
        count = rng.randint(3, 5)
        roles = ["speaker"] * rng.randint(1, 2)
    else:
        count = rng.randint(3, 10)
        roles = ["leader"] + (["deputy"] if count >= 5 and rng.random() < 0.4 else [])
    if count - len(roles) >= 3 and rng.random() < 0.3:
        roles.append("advisor")
    roles += ["member"] * (count - len(roles))
    members = []
    for role in roles:
        post = "班组长" if role == "leader" and prefix == "TD" else rng.choice(names.POSTS)
        members.append(
            MemberSpec(
                name=person_name(rng),
                role=role,
                post=post,
                title=rng.choice(names.TITLES),
                gender=rng.choices(["男", "女"], [7, 3])[0],
                education=rng.choice(names.EDUCATION),
            )
        )
    return tuple(members)


def _entry(rng, prefix, number, enterprise, group, title, topic_type) -> EntrySpec:
    start = dt.date(2019, 9, 1) + dt.timedelta(days=rng.randrange(330))
    end = min(start + dt.timedelta(days=rng.randrange(90, 330)), dt.date(2021, 4, 30))
    members = _members(rng, prefix)
    is_story = prefix == "PP"
    reg_year = start.year
    return EntrySpec(
        prefix=prefix,
        code=f"{prefix}-{number:03d}",
        enterprise=enterprise.name,
        recommender=enterprise.recommender,
        group_name=group,
        title=title,
        topic_type=topic_type,
        group_reg_no="" if is_story else f"{prefix}Z{reg_year}{number:04d}",
        topic_reg_no="" if prefix != "QC" else f"QCK{reg_year}{number:04d}",
        activity_start=None if is_story else start,
        activity_end=None if is_story else end,
        meetings=None if is_story else rng.randint(8, 30),
        attendance_rate=None if is_story else Decimal(rng.randrange(8500, 10001)) / 100,
        benefit_wan=None if is_story else Decimal(rng.randrange(200, 30000)) / 100,
        contact_name=members[0].name if rng.random() < 0.5 else person_name(rng),
        contact_phone=_phone(rng),
        contact_email=f"{prefix.lower()}{number:03d}@example.com",
        submitted_on=dt.date(2021, 5, 1) + dt.timedelta(days=rng.randrange(20)),
        members=members,
    )


def _judges(seed: int, block0: list[EnterpriseSpec], entries: list[EntrySpec]) -> list[JudgeSpec]:
    rng = random.Random(f"{seed}:judges")
    by_name = {e.name: e for e in block0}
    entrants: dict[str, list[EnterpriseSpec]] = {}
    for entry in entries:
        enterprise = by_name.get(entry.enterprise)
        if enterprise and enterprise not in entrants.setdefault(entry.prefix, []):
            entrants[entry.prefix].append(enterprise)
    taken: set[str] = set()
    judges = []
    for venue, prefix in sorted(VENUE_CATEGORIES.items()):
        size = rng.choice([5, 6, 6, 7])
        for seat in range(size):
            code = f"J{len(judges) + 1:02d}"
            role = "chair" if seat == 0 else "member"
            candidates = [e for e in entrants.get(prefix, []) if e.name not in taken]
            if role == "member" and candidates and rng.random() < JUDGES_FROM_ENTRANTS:
                enterprise = rng.choice(candidates)
                taken.add(enterprise.name)
                spec = (
                    enterprise.name,
                    enterprise.name,
                    enterprise.parent_group,
                    enterprise.province,
                )
            else:
                institution, province = rng.choice(names.JUDGE_INSTITUTIONS)
                spec = (None, institution, "", province)
            judges.append(
                JudgeSpec(
                    code=code,
                    name=person_name(rng),
                    venue=venue,
                    role=role,
                    enterprise=spec[0],
                    affiliation_name=spec[1],
                    parent_group=spec[2],
                    province=spec[3],
                    phone=_phone(rng),
                )
            )
    return judges
