"""A written review (书面评审) for tests: a person category whose nominations are read by experts.

Five nominations GR-001..GR-005 of five enterprises, three experts E1 (chair), E2, E3; E2
works at the enterprise of GR-003, so the event's rules recuse E2 from it. The category has a
documents sheet (资料评审): D1 事迹 up to 60 and D2 成效 up to 40, steps of 0.5.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from events.enums import CategoryKind, VenueMode
from judging.enums import Phase
from judging.models import Judge
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    EventFactory,
    JudgeFactory,
    PanelSeatFactory,
    ScoreItemFactory,
    ScoreSheetFactory,
    SubmissionFactory,
    UserFactory,
    VenueFactory,
)

DUE = dt.date(2021, 9, 10)


@dataclass
class WrittenReview:
    event: object
    category: object
    venue: object
    sheet: object
    experts: list[Judge]
    nominations: list
    organizer: object

    def expert(self, code: str) -> Judge:
        return next(j for j in self.experts if j.code == code)

    def nomination(self, code: str):
        return next(n for n in self.nominations if n.code == code)


def documents_sheet(category, phase=Phase.DOCUMENTS, name="个人事迹评审表"):
    sheet = ScoreSheetFactory(
        category=category, event=category.event, phase=phase, name=name, total=Decimal("100")
    )
    ScoreItemFactory(sheet=sheet, code="D1", name="事迹", max_points=Decimal("60"), order=0)
    ScoreItemFactory(sheet=sheet, code="D2", name="成效", max_points=Decimal("40"), order=1)
    return sheet


def build_written_review(*, readers: int = 2, slug: str = "honours") -> WrittenReview:
    event = EventFactory(slug=slug)
    category = CategoryFactory(
        event=event,
        kind=CategoryKind.INDIVIDUAL,
        name="优秀个人",
        code_prefix="GR",
        honour="优秀质量管理者",
        min_members=0,
        readers_per_nomination=readers,
        min_valid_cards=readers,
        award_rule="threshold",
        threshold=Decimal("80"),
    )
    venue = VenueFactory(
        event=event,
        category=category,
        number=9,
        name="优秀个人书面评审组",
        mode=VenueMode.WRITTEN,
        day=DUE,
        morning_start=None,
        morning_end=None,
        afternoon_start=None,
        afternoon_end=None,
    )
    sheet = documents_sheet(category)
    enterprises = [EnterpriseFactory(name=f"第{i}精密机械有限公司") for i in range(1, 6)]
    nominations = [
        SubmissionFactory(
            event=event,
            category=category,
            code=f"GR-{i:03d}",
            enterprise=enterprise,
            group_name="",
            title="",
            topic_type="",
            nominee_name=f"候选人{i}",
            nominee_position="质量部部长",
            achievements=f"候选人{i}主持质量攻关十余项。",
        )
        for i, enterprise in enumerate(enterprises, start=1)
    ]
    experts = []
    for index, code in enumerate(("E1", "E2", "E3")):
        affiliation = enterprises[2] if code == "E2" else None
        judge = JudgeFactory(event=event, code=code, name=f"专家{code}", affiliation=affiliation)
        PanelSeatFactory(judge=judge, venue=venue, role="chair" if index == 0 else "member")
        experts.append(judge)
    organizer = UserFactory()
    event.staff.add(organizer)
    return WrittenReview(event, category, venue, sheet, experts, nominations, organizer)
