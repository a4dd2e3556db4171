"""Submit many new scorecards at once, for scripts such as the demo (``seed_demo --scores``).

The cards are checked as a tablet's submit checks them (the judge sits at the entry's venue,
is not recused, the venue is open, every item is scored within 0..max on its step), written
with ``bulk_create`` in batches, and appended to its venue's ledger chain in bulk, in the order given, so
``verify_ledger`` sees what one submit after another would have left.
"""

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from events.enums import VenueMode
from events.models import Event, Venue
from judging.enums import CardSource, CardStatus, Phase
from judging.models import (
    Judge,
    PanelSeat,
    Recusal,
    ReviewAssignment,
    Scorecard,
    ScoreItem,
    ScoreLine,
    ScoreSheet,
    VenueAssignment,
    VenueStatus,
)
from judging.scoring.checks import ItemRule, check_points
from judging.scoring.ledger import append_card_entries
from qcexchange.versions import bump_event_venues
from submissions.models import Submission

BATCH_SIZE = 500
CENTS = Decimal("0.01")  # lines as the database returns them, as the ledger records them


@dataclass(frozen=True)
class NewCard:
    """One card to submit: the sheet must be the one the entry is scored on."""

    judge: Judge
    submission: Submission
    sheet: ScoreSheet
    points: dict[str, object]
    comment: str = ""
    actor: object | None = None  # who submits (the judge's user when None)
    extra: dict = field(default_factory=dict)  # further Scorecard fields, e.g. source


def _batches(cards: Iterable[NewCard], size: int) -> Iterator[list[NewCard]]:
    iterator = iter(cards)
    while batch := list(islice(iterator, size)):
        yield batch


class _Rules:
    """What the checks of a submit need, loaded once for the event instead of once per card."""

    def __init__(self, event_id: int):
        self.event = Event.objects.get(pk=event_id)
        placed = VenueAssignment.objects.filter(venue__event_id=event_id).values_list(
            "submission_id", "venue_id", "venue__mode"
        )
        self.venue_of = {submission_id: venue_id for submission_id, venue_id, _mode in placed}
        self.onsite = {venue_id for _pk, venue_id, mode in placed if mode == VenueMode.ONSITE}
        # A written review's dossiers are held by the experts' assignments (judging.dossiers).
        self.review_venue = {
            (judge_id, submission_id): venue_id
            for judge_id, submission_id, venue_id in ReviewAssignment.objects.filter(
                venue__event_id=event_id
            ).values_list("judge_id", "submission_id", "venue_id")
        }
        self.seats = set(
            PanelSeat.objects.filter(venue__event_id=event_id).values_list("judge_id", "venue_id")
        )
        self.recused = set(
            Recusal.objects.filter(judge__event_id=event_id).values_list(
                "judge_id", "submission_id"
            )
        )
        self.locked = set(
            VenueStatus.objects.filter(
                venue__event_id=event_id, locked_at__isnull=False
            ).values_list("venue_id", flat=True)
        )
        self.taken = set(
            Scorecard.objects.filter(judge__event_id=event_id).values_list(
                "judge_id", "submission_id", "sheet_id"
            )
        )
        self.items: dict[int, dict[str, ScoreItem]] = {}
        self.rules: dict[int, list[ItemRule]] = {}

    def items_of(self, sheet: ScoreSheet) -> dict[str, ScoreItem]:
        """Return the sheet's items by code, read once per sheet."""
        if sheet.pk not in self.items:
            self.items[sheet.pk] = {item.code: item for item in sheet.items.all()}
            self.rules[sheet.pk] = [
                ItemRule(code=i.code, name=i.name, max_points=i.max_points, step=i.step)
                for i in self.items[sheet.pk].values()
            ]
        return self.items[sheet.pk]

    def item_rules(self, sheet: ScoreSheet) -> list[ItemRule]:
        self.items_of(sheet)
        return self.rules[sheet.pk]

    def venue_id_of(self, card: NewCard) -> int | None:
        """Return the venue of the card: the written panel of the judge's assignment for a
        documents card (or an entry not placed on site), else the entry's venue."""
        written = self.review_venue.get((card.judge.pk, card.submission.pk))
        placed = self.venue_of.get(card.submission.pk)
        if written is not None and (
            placed not in self.onsite or card.sheet.phase == Phase.DOCUMENTS
        ):
            return written
        return placed

    def problem(self, card: NewCard) -> str | None:
        judge, entry = card.judge, card.submission
        venue_id = self.venue_id_of(card)
        if entry.event_id != judge.event_id or venue_id is None:
            return f"{judge.code}→{entry.code}: 成果未分配到该评委的活动的分会场"
        if (judge.pk, venue_id) not in self.seats:
            return f"{judge.code}→{entry.code}: 评委不在该分会场的评审组中"
        if (judge.pk, entry.pk) in self.recused:
            return f"{judge.code}→{entry.code}: 评委须回避"
        if venue_id in self.locked:
            return f"{judge.code}→{entry.code}: 分会场已锁定"
        if (judge.pk, entry.pk, card.sheet.pk) in self.taken:
            return f"{judge.code}→{entry.code}: 评分卡已存在"
        return None


@transaction.atomic
def submit_cards_in_bulk(*, event_id: int, cards: Iterable[NewCard]) -> int:
    """Submit new cards of one event, all or nothing; return how many were stored.

    Raises ValidationError naming every card that a tablet could not have submitted.
    """
    rules = _Rules(event_id)
    count = 0
    for batch in _batches(cards, BATCH_SIZE):
        count += _write_batch(rules, batch)
    bump_event_venues(event_id)
    return count


def _write_batch(rules: _Rules, batch: list[NewCard]) -> int:
    problems, rows, checked = [], [], []
    now = timezone.now()
    for new in batch:
        check = check_points(rules.item_rules(new.sheet), new.points, complete=True)
        problem = rules.problem(new)
        if check.errors or problem:
            problems += [problem] if problem else []
            problems += [f"{new.judge.code}→{new.submission.code}: {e}" for e in check.errors]
            continue
        if not Submission.event.is_cached(new.submission):
            new.submission.event = rules.event
        rules.taken.add((new.judge.pk, new.submission.pk, new.sheet.pk))
        rows.append(
            Scorecard(
                judge=new.judge,
                submission=new.submission,
                sheet=new.sheet,
                status=CardStatus.SUBMITTED,
                total=check.total,
                comment=new.comment,
                source=new.extra.get("source", CardSource.TABLET),
                submitted_at=now,
                client_id=uuid.uuid4(),
                **{k: v for k, v in new.extra.items() if k != "source"},
            )
        )
        checked.append((new, check.points))
    if problems:
        raise ValidationError(problems)
    Scorecard.objects.bulk_create(rows)
    lines_of: dict[int, list[ScoreLine]] = {}
    for card, (new, points) in zip(rows, checked, strict=True):
        items = rules.items_of(new.sheet)
        lines_of[card.pk] = [
            ScoreLine(card=card, item=items[code], points=Decimal(value))
            for code, value in points.items()
        ]
    ScoreLine.objects.bulk_create([line for lines in lines_of.values() for line in lines])
    # One bulk append per venue chain, the cards in the order given within each chain.
    by_venue: dict[int, list] = {}
    for card, (new, points) in zip(rows, checked, strict=True):
        by_venue.setdefault(rules.venue_id_of(new), []).append(
            (
                card,
                {code: Decimal(value).quantize(CENTS) for code, value in points.items()},
                new.actor or new.judge.user,
            )
        )
    venues = Venue.objects.in_bulk(by_venue)
    for venue_id, appended in by_venue.items():
        append_card_entries(
            event=rules.event,
            venue=venues[venue_id],
            cards=[(card, points) for card, points, _actor in appended],
            actors=[actor for _card, _points, actor in appended],
        )
    return len(rows)
