"""Build a judged event straight through the ORM: venues, panels, entries and scored cards."""

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from events.enums import CategoryKind
from events.models import Category, Event, Venue
from judging.enums import LedgerAction
from judging.models import (
    Judge,
    PanelSeat,
    Recusal,
    Scorecard,
    ScoreItem,
    ScoreLine,
    ScoreSheet,
    VenueAssignment,
    VenueStatus,
)
from judging.scoring.ledger import append_card_entries, append_entry
from submissions.enums import Status
from submissions.models import Enterprise, Submission

ITEMS = [("B1", "选题", 15), ("B2", "原因分析", 30), ("B3", "对策与实施", 20), ("B4", "效果", 20), ("B5", "成果报告", 5), ("B6", "特点", 10)]  # fmt: skip
HALF = Decimal("0.5")


def build_scored_event(
    *,
    slug: str = "scored",
    kinds: tuple[tuple[str, str, int, int], ...] = (("qc", "QC成果", 2, 10),),
    judges_per_venue: int = 5,
    seed: int = 1,
    recusal_every: int = 0,
    lock: bool = True,
) -> Event:
    """Return an event whose venues are judged.

    ``kinds`` are (kind, name, venues, entries per venue), the last either one number for
    every venue or a tuple with one number per venue.
    """
    rng = random.Random(seed)
    event = Event.objects.create(
        slug=slug,
        name=f"测试活动 {slug}",
        start_date=dt.date(2021, 9, 23),
        end_date=dt.date(2021, 9, 25),
    )
    venue_number = 0
    judge_number = 0
    entry_number = 0
    enterprises = Enterprise.objects.bulk_create(
        [Enterprise(name=f"{slug}第{i}机械有限公司", short_name=f"机械{i}") for i in range(60)]
    )
    for order, (kind, name, venues, per_venue) in enumerate(kinds):
        sizes = list(per_venue) if isinstance(per_venue, list | tuple) else [per_venue] * venues
        prefix = {"qc": "QC", "team": "TD", "story": "PP"}.get(kind, kind.upper())
        category = Category.objects.create(
            event=event,
            kind=kind or CategoryKind.QC,
            name=name,
            code_prefix=prefix,
            honour=f"{name}标杆",
            order=order,
            quota_percent=Decimal("50"),
            quota_scope="venue",
        )
        sheet = ScoreSheet.objects.create(event=event, category=category, name=f"{name}评审表")
        items = ScoreItem.objects.bulk_create(
            [
                ScoreItem(sheet=sheet, code=code, name=label, max_points=Decimal(pts), order=i)
                for i, (code, label, pts) in enumerate(ITEMS)
            ]
        )
        for size in sizes:
            venue_number += 1
            venue = Venue.objects.create(
                event=event,
                category=category,
                number=venue_number,
                name=f"第{venue_number}分会场",
                day=dt.date(2021, 9, 24),
            )
            if lock:
                VenueStatus.objects.create(venue=venue, locked_at=timezone.now())
            judges = []
            for _ in range(judges_per_venue):
                judge_number += 1
                judges.append(
                    Judge(event=event, code=f"J{judge_number:03d}", name=f"评委{judge_number}")
                )
            judges = Judge.objects.bulk_create(judges)
            PanelSeat.objects.bulk_create(
                [
                    PanelSeat(judge=j, venue=venue, role="chair" if i == 0 else "member")
                    for i, j in enumerate(judges)
                ]
            )
            leniency = {j.pk: rng.uniform(-3, 3) for j in judges}
            subs = []
            for _ in range(size):
                entry_number += 1
                subs.append(
                    Submission(
                        event=event,
                        category=category,
                        code=f"{prefix}-{entry_number:04d}",
                        enterprise=enterprises[entry_number % len(enterprises)],
                        group_name=f"第{entry_number}小组",
                        title=f"成果{entry_number}",
                        status=Status.ADMITTED,
                    )
                )
            subs = Submission.objects.bulk_create(subs)
            VenueAssignment.objects.bulk_create(
                [
                    VenueAssignment(submission=s, venue=venue, draw_number=i + 1)
                    for i, s in enumerate(subs)
                ]
            )
            cards, lines, recusals = [], [], []
            for n, sub in enumerate(subs):
                quality = rng.uniform(0.70, 0.95)
                for k, judge in enumerate(judges):
                    if recusal_every and (n + k) % recusal_every == 0:
                        recusals.append(Recusal(judge=judge, submission=sub, source="enterprise"))
                        continue
                    share = min(
                        1.0, max(0.0, quality + leniency[judge.pk] / 100 + rng.gauss(0, 0.02))
                    )
                    points = [
                        (Decimal(str(item.max_points * Decimal(share))) / HALF).quantize(
                            Decimal("1"), rounding=ROUND_HALF_UP
                        )
                        * HALF
                        for item in items
                    ]
                    card = Scorecard(
                        judge=judge,
                        submission=sub,
                        sheet=sheet,
                        status="submitted",
                        total=sum(points, Decimal("0")),
                        submitted_at=timezone.now(),
                    )
                    cards.append(card)
                    lines.append((card, points))
            Recusal.objects.bulk_create(recusals)
            Scorecard.objects.bulk_create(cards, batch_size=1000)
            ScoreLine.objects.bulk_create(
                [
                    ScoreLine(card=card, item=item, points=p)
                    for card, points in lines
                    for item, p in zip(items, points, strict=True)
                ],
                batch_size=2000,
            )
            # The ledger records every card, and the lock, as the tablets and the chair would.
            codes = [item.code for item in items]
            append_card_entries(
                event=event,
                venue=venue,
                cards=[(card, dict(zip(codes, points, strict=True))) for card, points in lines],
            )
            if lock:
                append_entry(
                    event=event,
                    action=LedgerAction.LOCK,
                    venue=venue,
                    data={"venue": venue.number, "cards": {}, "missing": [], "override": ""},
                )
    return event


def record_ledger(event: Event) -> None:
    """Record every card of an event built by hand, and each locked venue, in its ledger.

    Cards made straight through the ORM are unknown to the ledger, and an award run refuses
    them; this records their current state as the tablets and chairs would have. Call it again
    after changing cards in a test.
    """
    venue_of = dict(
        VenueAssignment.objects.filter(submission__event=event).values_list(
            "submission_id", "venue_id"
        )
    )
    venues = {v.pk: v for v in event.venues.all()}
    by_venue: dict[int, list] = {}
    cards = Scorecard.objects.filter(submission__event=event).select_related("judge", "submission")
    lines: dict[int, dict] = {}
    for card_id, code, points in ScoreLine.objects.filter(
        card__submission__event=event
    ).values_list("card_id", "item__code", "points"):
        lines.setdefault(card_id, {})[code] = points
    for card in cards.order_by("pk"):
        by_venue.setdefault(venue_of.get(card.submission_id), []).append(
            (card, lines.get(card.pk, {}))
        )
    for venue_id, recorded in by_venue.items():
        append_card_entries(
            event=event, venue=venues.get(venue_id), cards=recorded, action=LedgerAction.CONFIRM
        )
    for status in VenueStatus.objects.filter(venue__event=event, locked_at__isnull=False):
        append_entry(
            event=event,
            action=LedgerAction.LOCK,
            venue=venues[status.venue_id],
            data={
                "venue": venues[status.venue_id].number,
                "cards": {},
                "missing": [],
                "override": "",
            },
        )
