"""Writes of the written review (书面评审): which experts of a panel read which dossiers.

A written-review venue's dossiers are not scored by every seated expert: each is given to the
category's ``readers_per_nomination`` experts not recused from it (judging.schedule.reviewers
decides, balanced and reproducible by a seed), stored as ReviewAssignment rows that name the
venue. Which dossiers a written venue holds is judging.dossiers' to say: they need no
VenueAssignment, which may place a nomination at an on-site venue for a defence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events.enums import VenueMode
from events.models import Event, Venue
from events.services import record_audit
from judging.dossiers import dossier_ids
from judging.models import (
    PanelSeat,
    Recusal,
    ReviewAssignment,
    Scorecard,
    VenueStatus,
)
from judging.schedule import plan as schedule
from judging.schedule import recusal_rules
from judging.schedule.reviewers import assign_readers
from judging.schedule.services import entry_party, judge_party
from qcexchange.versions import bump_venue
from submissions.models import Submission


@dataclass(frozen=True)
class ReviewReport:
    venue: Venue
    seed: int
    readers: int  # wanted per dossier
    dossiers: int
    created: int
    removed: int
    kept: int  # assignments kept because the expert has a card for the dossier
    loads: dict = field(default_factory=dict)  # judge code -> dossiers
    shortfalls: dict = field(default_factory=dict)  # entry code -> readers missing

    @property
    def spread(self) -> int:
        values = list(self.loads.values())
        return max(values) - min(values) if values else 0


def recused_pairs(venue: Venue, judges, entries) -> set[tuple[int, int]]:
    """Return the (judge id, entry id) pairs that stand aside: stored, or by the event's rules."""
    event = venue.event
    rules = recusal_rules.RecusalRules(
        parent_group=event.recuse_parent_group,
        province=event.recuse_province,
        recommender=event.recuse_recommender,
    )
    pairs = set(
        Recusal.objects.filter(
            judge_id__in=[j.pk for j in judges], submission_id__in=[e.pk for e in entries]
        ).values_list("judge_id", "submission_id")
    )
    parties = [entry_party(e) for e in entries]
    for judge in judges:
        party = judge_party(judge)
        pairs.update(
            (judge.pk, entry.key)
            for entry in parties
            if recusal_rules.recusal_source(party, entry, rules)
        )
    return pairs


@transaction.atomic
def assign_reviewers(*, venue: Venue, actor=None, seed: int | None = None) -> ReviewReport:
    """Give each dossier of a written-review venue to its experts and store the assignments.

    The venue's seated judges are the experts. An assignment whose expert has already a card
    (draft or submitted) for the dossier stays; the others are planned afresh, so a re-run
    after a recusal or a panel change moves only what it must. Refused while the venue is
    locked. Without a seed a fresh one is drawn; the same seed gives the same plan.
    """
    if not venue.is_written:
        raise ValidationError(
            _("%(venue)s 是现场评审，评审组的每位评委评全部成果，无需分配材料。")
            % {"venue": venue.name}
        )
    status, _created = VenueStatus.objects.select_for_update().get_or_create(venue=venue)
    if status.is_locked:
        raise ValidationError(
            _("%(venue)s 已锁定，不能重新分配评审材料。") % {"venue": venue.name}, code="locked"
        )
    judges = [
        seat.judge
        for seat in PanelSeat.objects.filter(venue=venue)
        .select_related("judge__affiliation")
        .order_by("judge__code")
    ]
    if not judges:
        raise ValidationError(
            _("%(venue)s 还没有评审专家：先在评审组中安排专家，再分配材料。")
            % {"venue": venue.name}
        )
    entries = list(
        Submission.objects.filter(pk__in=dossier_ids(venue))
        .select_related("enterprise", "recommender")
        .order_by("code")
    )
    entry_ids = {e.pk for e in entries}
    judge_ids = {j.pk for j in judges}
    existing = {
        (a.judge_id, a.submission_id): a
        for a in ReviewAssignment.objects.filter(submission_id__in=entry_ids)
    }
    started = set(
        Scorecard.objects.filter(submission_id__in=entry_ids).values_list(
            "judge_id", "submission_id"
        )
    )
    # The plan is made on the codes, so the same event and seed give the same plan whatever
    # the database's ids.
    judge_code = {j.pk: j.code for j in judges}
    entry_code = {e.pk: e.code for e in entries}
    judge_pk = {code: pk for pk, code in judge_code.items()}
    entry_pk = {code: pk for pk, code in entry_code.items()}

    def coded(pairs):
        return {(judge_code[j], entry_code[s]) for j, s in pairs if j in judge_ids}

    kept = {pair for pair in existing if pair in started and pair[0] in judge_ids}
    seed = seed if seed is not None else schedule.new_seed()
    readers = venue.category.readers_per_nomination
    plan = assign_readers(
        list(entry_pk),
        list(judge_pk),
        readers=readers,
        seed=seed,
        recused=coded(recused_pairs(venue, judges, entries)),
        kept=coded(kept),
    )
    wanted = {(judge_pk[j], entry_pk[s]) for j, s in plan.pairs}
    # An expert's started card keeps its assignment even if they left the panel.
    stale = [a.pk for pair, a in existing.items() if pair not in wanted and pair not in started]
    ReviewAssignment.objects.filter(pk__in=stale).delete()
    new = [
        ReviewAssignment(venue=venue, judge_id=j, submission_id=s, created_by=actor)
        for j, s in sorted(wanted - set(existing))
    ]
    ReviewAssignment.objects.bulk_create(new)
    report = ReviewReport(
        venue=venue,
        seed=seed,
        readers=readers,
        dossiers=len(entries),
        created=len(new),
        removed=len(stale),
        kept=len(kept),
        loads=dict(sorted(plan.loads.items())),
        shortfalls=dict(sorted(plan.shortfalls.items())),
    )
    record_audit(
        actor=actor,
        action="schedule.assign_reviewers",
        event=venue.event,
        target=venue.name,
        details={
            "seed": seed,
            "created": report.created,
            "removed": report.removed,
            "kept": report.kept,
            "short": report.shortfalls,
        },
    )
    bump_venue(venue)
    return report


@transaction.atomic
def assign_all_reviewers(
    *, event: Event, actor=None, seed: int | None = None
) -> list[ReviewReport]:
    """Assign the dossiers of every written-review venue of the event that is not locked (all
    or nothing: a venue without experts refuses the whole)."""
    locked = set(
        VenueStatus.objects.filter(venue__event=event, locked_at__isnull=False).values_list(
            "venue_id", flat=True
        )
    )
    venues = (
        Venue.objects.filter(event=event, mode=VenueMode.WRITTEN)
        .select_related("event", "category")
        .order_by("number")
    )
    return [
        assign_reviewers(venue=venue, actor=actor, seed=seed)
        for venue in venues
        if venue.pk not in locked
    ]
