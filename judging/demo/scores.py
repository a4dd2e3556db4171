"""Plausible submitted scorecards for the demo (seed_demo --scores).

The cards pass the tablets' own checks and are written in bulk (judging.scoring.bulk), each
appended to the ledger in turn, so the ledger holds them exactly as after a judged day.
"""

import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from judging.demo.people import showcase_submission_ids
from judging.schedule.services import assign_venues
from judging.scoring.bulk import NewCard, submit_cards_in_bulk
from judging.scoring.chairs import lock_venue

SHOWCASE_LEVEL = 0.96


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

    Every seated judge who is not recused submits one card per entry of their venue.
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
        VenueAssignment.objects.filter(venue__event=event)
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
    locked = set(
        VenueStatus.objects.filter(venue__event=event, locked_at__isnull=False).values_list(
            "venue_id", flat=True
        )
    )
    for seat in PanelSeat.objects.filter(venue__event=event, role="chair").select_related(
        "venue", "judge__user"
    ):
        if seat.venue_id not in locked:
            lock_venue(venue=seat.venue, actor=seat.judge.user)
    return count


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
