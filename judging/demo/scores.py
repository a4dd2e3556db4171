"""Plausible submitted scorecards for the demo (seed_demo --scores).

The cards pass the tablets' own checks and are written in bulk (judging.scoring.bulk), each
appended to the ledger in turn, so the ledger holds them exactly as after a judged day. The
written reviews of the honours are scored too: one card per dossier and assigned expert.
"""

import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from events.enums import VenueMode
from judging.demo.people import showcase_submission_ids
from judging.schedule.services import assign_venues
from judging.scoring.bulk import NewCard, submit_cards_in_bulk
from judging.scoring.chairs import lock_venue
from submissions.enums import Status

SHOWCASE_LEVEL = 0.96
# Said when a written-review panel is locked while every seated expert still counts as owing a
# card for every dossier (as for an on-site panel): only the assigned experts read a dossier.
WRITTEN_LOCK_REASON = "书面评审：每份材料只由分配的专家评分，未分配的专家无需评分"


def plausible_points(
    rng: random.Random, *, max_points: Decimal, step: Decimal, level: float
) -> Decimal:
    """Return points on the item's step grid near level × max_points, within 0..max_points."""
    raw = Decimal(str(rng.gauss(level, 0.05))) * max_points
    steps = (raw / step).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return min(max(steps * step, Decimal("0")), max_points)


def entry_level(seed: int, code: str) -> float:
    """Return the quality (share of the maximum) an entry is scored around, about 0.70-0.95."""
    return min(0.97, max(0.6, random.Random(f"{seed}:level:{code}").gauss(0.83, 0.05)))


def judge_bias(seed: int, code: str) -> float:
    """Return how much stricter (negative) or milder a judge scores than the panel."""
    return random.Random(f"{seed}:bias:{code}").gauss(0, 0.02)


@transaction.atomic
def fill_scores(*, event, seed: int) -> int:
    """Score the assigned entries as a judged day would, then lock the venues; return the cards.

    Every seated judge who is not recused submits one card per entry of their on-site venue;
    in a written review each assigned expert submits one card per dossier.
    """
    from judging.models import (
        PanelSeat,
        Recusal,
        Scorecard,
        ScoreSheet,
        VenueAssignment,
        VenueStatus,
    )

    if not VenueAssignment.objects.filter(venue__event=event).exists():
        assign_venues(event=event, seed=seed)
    sheets = {}
    for sheet in ScoreSheet.objects.filter(event=event, phase="presentation").prefetch_related(
        "items"
    ):
        sheets[(sheet.category_id, sheet.topic_type)] = sheet
    recused = set(
        Recusal.objects.filter(judge__event=event).values_list("judge_id", "submission_id")
    )
    done = set(
        Scorecard.objects.filter(judge__event=event).values_list("judge_id", "submission_id")
    )
    assignments = (
        VenueAssignment.objects.filter(venue__event=event, venue__mode=VenueMode.ONSITE)
        .select_related("submission", "venue")
        .prefetch_related("venue__seats__judge__user")
        .order_by("venue__number", "draw_number")
    )
    # The entries the 2021 report showcased were benchmarks: they are scored as the best.
    showcased = showcase_submission_ids(event)
    count = submit_cards_in_bulk(
        event_id=event.pk,
        cards=_planned_cards(assignments, sheets, recused | done, seed, showcased=showcased),
    )
    count += submit_cards_in_bulk(
        event_id=event.pk, cards=_written_cards(event, recused | done, seed)
    )
    locked = set(
        VenueStatus.objects.filter(venue__event=event, locked_at__isnull=False).values_list(
            "venue_id", flat=True
        )
    )
    for seat in PanelSeat.objects.filter(venue__event=event, role="chair").select_related(
        "venue", "judge__user"
    ):
        if seat.venue_id not in locked:
            reason = WRITTEN_LOCK_REASON if seat.venue.is_written else ""
            lock_venue(venue=seat.venue, actor=seat.judge.user, override_reason=reason)
    return count


def _written_cards(event, skipped: set, seed: int):
    """Yield one card per dossier and assigned expert of the written reviews, by venue and code."""
    from judging.models import ReviewAssignment, ScoreSheet

    sheets = {
        sheet.category_id: sheet
        for sheet in ScoreSheet.objects.filter(event=event, phase="documents").prefetch_related(
            "items"
        )
    }
    numbers = dict(event.venues.values_list("pk", "number"))
    readers, entries = defaultdict(list), {}
    for row in ReviewAssignment.objects.filter(venue__event=event).select_related(
        "judge__user", "submission"
    ):
        readers[row.venue_id, row.submission_id].append(row.judge)
        entries[row.submission_id] = row.submission
    for venue_id, entry_id in sorted(readers, key=lambda k: (numbers[k[0]], entries[k[1]].code)):
        entry, judges = entries[entry_id], readers[venue_id, entry_id]
        sheet = sheets.get(entry.category_id)
        if sheet is None or entry.status != Status.ADMITTED:
            continue
        level = entry_level(seed, entry.code)
        for judge in sorted(judges, key=lambda j: j.code):
            if (judge.pk, entry.pk) in skipped:
                continue
            rng = random.Random(f"{seed}:card:{judge.code}:{entry.code}")
            points = {
                item.code: plausible_points(
                    rng,
                    max_points=item.max_points,
                    step=item.step,
                    level=level + judge_bias(seed, judge.code),
                )
                for item in sheet.items.all()
            }
            yield NewCard(
                judge=judge, submission=entry, sheet=sheet, points=points, actor=judge.user
            )


def _planned_cards(assignments, sheets, skipped: set, seed: int, *, showcased=frozenset()):
    """Yield the demo's cards in the order a judged day submits them: venue, draw, panel."""
    for assignment in assignments:
        entry = assignment.submission
        sheet = sheets.get((entry.category_id, entry.topic_type)) or sheets.get(
            (entry.category_id, "")
        )
        if sheet is None:
            continue
        level = entry_level(seed, entry.code)
        if entry.pk in showcased:
            level = max(level, SHOWCASE_LEVEL)
        for seat in assignment.venue.seats.all():
            judge = seat.judge
            if (judge.pk, entry.pk) in skipped:
                continue
            rng = random.Random(f"{seed}:card:{judge.code}:{entry.code}")
            points = {
                item.code: plausible_points(
                    rng,
                    max_points=item.max_points,
                    step=item.step,
                    level=level + judge_bias(seed, judge.code),
                )
                for item in sheet.items.all()
            }
            yield NewCard(
                judge=judge, submission=entry, sheet=sheet, points=points, actor=judge.user
            )
