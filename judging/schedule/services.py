"""Writes of the schedule: venue assignment, draws, slots, locks, moves and recusals.

Each service loads what it needs, calls the pure code in ``judging.schedule.plan`` and saves in one
transaction. The reads for the pages live in ``judging.schedule.selectors``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Category, Event, Venue
from events.services import record_audit
from judging.enums import RecusalSource
from judging.models import Draw, Judge, PanelSeat, Recusal, VenueAssignment
from judging.schedule import plan as schedule
from judging.schedule import recusal_rules
from qcexchange.versions import bump_event_venues
from submissions.enums import PresentationMode, Status, TopicType
from submissions.models import Submission

UNIT_SEPARATORS = re.compile(r"[,，、;；]")
NO_REMEDIES = schedule.Remedies(0, 0, None, 0, 0, 0)


def venue_topic(venue: Venue) -> str:
    """Return the topic type code a venue is dedicated to ("" for any); accepts the Chinese label."""
    value = venue.topic_type.strip()
    labels = {str(label): code for code, label in TopicType.choices}
    return labels.get(value, value)


@dataclass(frozen=True)
class VenueOutcome:
    venue: Venue
    count: int
    presented: int
    written: int
    seed: int
    packing: schedule.Packing
    remedies: schedule.Remedies


@dataclass(frozen=True)
class AssignmentReport:
    event: Event
    seed: int | None
    venues: tuple[VenueOutcome, ...] = ()
    unplaced: tuple[str, ...] = ()  # codes of admitted entries whose category has no venue
    stacks: tuple[schedule.Stack, ...] = field(default=())
    recusals_added: int = 0
    recusals_removed: int = 0

    @property
    def placed(self) -> int:
        return sum(outcome.count for outcome in self.venues)

    @property
    def overfull(self) -> tuple[VenueOutcome, ...]:
        return tuple(o for o in self.venues if not o.packing.fits)


# --------------------------------------------------------------------------- recusal


def judge_party(judge: Judge) -> recusal_rules.JudgeParty:
    names = {judge.affiliation_name}
    if judge.affiliation_id:
        names.add(judge.affiliation.name)
    return recusal_rules.JudgeParty(
        key=judge.pk,
        organisations=frozenset(n for n in names if n),
        parent_group=judge.parent_group
        or (judge.affiliation.parent_group if judge.affiliation_id else ""),
        province=judge.province or (judge.affiliation.province if judge.affiliation_id else ""),
    )


def entry_party(submission: Submission) -> recusal_rules.EntryParty:
    enterprise = submission.enterprise
    units = {enterprise.name}
    units.update(u.strip() for u in UNIT_SEPARATORS.split(submission.completing_units) if u.strip())
    return recusal_rules.EntryParty(
        key=submission.pk,
        enterprises=frozenset(units),
        parent_group=enterprise.parent_group,
        province=enterprise.province,
        recommender=submission.recommender.name if submission.recommender_id else "",
    )


def admitted_entries(event: Event):
    return (
        Submission.objects.filter(event=event, status=Status.ADMITTED)
        .select_related("enterprise", "recommender", "category")
        .order_by("code")
    )


@transaction.atomic
def sync_auto_recusals(*, event: Event) -> tuple[int, int]:
    """Bring the automatic recusals of the event in line with its rules; keep manual ones.

    Returns (added, removed).
    """
    rules = recusal_rules.RecusalRules(
        parent_group=event.recuse_parent_group,
        province=event.recuse_province,
        recommender=event.recuse_recommender,
    )
    judges = Judge.objects.filter(event=event).select_related("affiliation")
    entries = admitted_entries(event)
    wanted = {
        (r.judge, r.entry): r.source
        for r in recusal_rules.auto_recusals(
            [judge_party(j) for j in judges], [entry_party(s) for s in entries], rules
        )
    }
    existing = {
        (r.judge_id, r.submission_id): r
        for r in Recusal.objects.filter(judge__event=event).only(
            "pk", "judge_id", "submission_id", "source"
        )
    }
    stale = [
        r.pk
        for pair, r in existing.items()
        if r.source != RecusalSource.MANUAL and wanted.get(pair) != r.source
    ]
    Recusal.objects.filter(pk__in=stale).delete()
    kept = {pair for pair, r in existing.items() if r.pk not in stale}
    new = [
        Recusal(judge_id=j, submission_id=s, source=source)
        for (j, s), source in wanted.items()
        if (j, s) not in kept
    ]
    Recusal.objects.bulk_create(new)
    bump_event_venues(event.pk)
    return len(new), len(stale)


@transaction.atomic
def recuse_judge(*, judge: Judge, submission: Submission, reason: str, actor=None) -> Recusal:
    """Record a manual recusal with its reason (it replaces an automatic one for the pair)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("手工回避必须填写原因。"))
    if judge.event_id != submission.event_id:
        raise ValidationError(_("评委与成果不属于同一活动。"))
    recusal, _created = Recusal.objects.update_or_create(
        judge=judge,
        submission=submission,
        defaults={"source": RecusalSource.MANUAL, "reason": reason, "created_by": actor},
    )
    record_audit(
        actor=actor,
        action="schedule.recuse",
        event=submission.event,
        target=f"{judge.code} {submission.code}",
        details={"reason": reason},
    )
    bump_event_venues(judge.event_id)
    return recusal


@transaction.atomic
def withdraw_recusal(*, recusal: Recusal, actor=None) -> None:
    """Remove a manual recusal; automatic ones follow the rules and are not removed by hand."""
    if recusal.source != RecusalSource.MANUAL:
        raise ValidationError(_("自动回避由回避规则决定，不能手工撤销。"))
    record_audit(
        actor=actor,
        action="schedule.unrecuse",
        event=recusal.judge.event,
        target=f"{recusal.judge.code} {recusal.submission.code}",
    )
    bump_event_venues(recusal.judge.event_id)
    recusal.delete()


# --------------------------------------------------------------------------- slots


def venue_day_sessions(venue: Venue) -> tuple[schedule.Session, ...]:
    return schedule.venue_sessions(
        venue.day,
        morning=(venue.morning_start, venue.morning_end),
        afternoon=(venue.afternoon_start, venue.afternoon_end),
    )


def venue_all_sessions(venue: Venue) -> tuple[schedule.Session, ...]:
    return schedule.venue_sessions(
        venue.day,
        morning=(venue.morning_start, venue.morning_end),
        afternoon=(venue.afternoon_start, venue.afternoon_end),
        extra_days=venue.extra_days,
    )


def _aware(value):
    return timezone.make_aware(value) if value is not None and timezone.is_naive(value) else value


def _pack(venue: Venue, rows: list[VenueAssignment]) -> tuple[schedule.Packing, schedule.Remedies]:
    """Set the slot times of a venue's assignments (rows in running order); return the packing.

    A written review has no slots: its rows keep no times and nothing overflows.
    """
    category = venue.category
    if venue.is_written:
        VenueAssignment.objects.filter(pk__in=[r.pk for r in rows]).update(
            starts_at=None, ends_at=None
        )
        bump_event_venues(venue.event_id)
        return schedule.Packing((), (), (), category.slot_total_minutes), NO_REMEDIES
    if category.slot_total_minutes <= 0:
        raise ValidationError(
            _("类别“%(category)s”的发表时长与提问时长合计为 0 分钟，无法安排%(venue)s的时间。")
            % {"category": category.name, "venue": venue.name}
        )
    presented = [a for a in rows if a.submission.presentation_mode != PresentationMode.WRITTEN]
    packing = schedule.pack_slots(
        [a.pk for a in presented],
        sessions=venue_all_sessions(venue),
        slot_minutes=category.slot_total_minutes,
        break_minutes=venue.break_minutes,
    )
    times = {slot.key: (_aware(slot.start), _aware(slot.end)) for slot in packing.slots}
    for row in rows:
        row.starts_at, row.ends_at = times.get(row.pk, (None, None))
    VenueAssignment.objects.bulk_update(rows, ["starts_at", "ends_at"])
    bump_event_venues(venue.event_id)  # on commit: the running order and its times changed
    remedies = schedule.suggest_remedies(
        len(presented),
        day_sessions=venue_day_sessions(venue),
        extra_days=venue.extra_days,
        slot_minutes=category.slot_total_minutes,
        break_minutes=venue.break_minutes,
    )
    return packing, remedies


def _renumber(rows: list[VenueAssignment]) -> None:
    """Give the rows draw numbers 1..n in their order (cleared first: numbers are unique)."""
    ids = [r.pk for r in rows]
    VenueAssignment.objects.filter(pk__in=ids).update(draw_number=None)
    for number, row in enumerate(rows, start=1):
        row.draw_number = number
    VenueAssignment.objects.bulk_update(rows, ["draw_number"])


def _running_order(venue: Venue) -> list[VenueAssignment]:
    return list(
        VenueAssignment.objects.filter(venue=venue)
        .select_related("submission", "venue__category")
        .order_by("draw_number", "submission__code")
    )


def _draw_venue(venue: Venue, *, seed: int, reason: str, actor=None) -> VenueOutcome:
    rows = list(VenueAssignment.objects.filter(venue=venue).select_related("submission"))
    if venue.is_written:  # no draw: the dossiers are numbered in the order of their codes
        ordered = sorted(rows, key=lambda r: r.submission.code)
        _renumber(ordered)
        packing, remedies = _pack(venue, ordered)
        return VenueOutcome(venue, len(rows), 0, len(rows), seed, packing, remedies)
    by_code = {r.submission.code: r for r in rows}
    presented = [
        c for c, r in by_code.items() if r.submission.presentation_mode != PresentationMode.WRITTEN
    ]
    written = sorted(c for c in by_code if c not in presented)
    order = list(schedule.draw_order(presented, seed=seed)) + written
    ordered = [by_code[c] for c in order]
    _renumber(ordered)
    Draw.objects.create(venue=venue, seed=seed, reason=reason, created_by=actor)
    packing, remedies = _pack(venue, ordered)
    return VenueOutcome(venue, len(rows), len(presented), len(written), seed, packing, remedies)


@transaction.atomic
def repack_venue(*, venue: Venue) -> schedule.Packing:
    """Recompute the slot times of a venue from its running order."""
    return _pack(venue, _running_order(venue))[0]


# --------------------------------------------------------------------------- assignment


def _recused_by_venue(event: Event, entry_ids, venue_ids) -> dict:
    seats = Counter()
    judges_at = {}
    for judge_id, venue_id in PanelSeat.objects.filter(venue_id__in=venue_ids).values_list(
        "judge_id", "venue_id"
    ):
        judges_at.setdefault(judge_id, []).append(venue_id)
    for judge_id, sub_id in Recusal.objects.filter(
        judge__event=event, submission_id__in=entry_ids
    ).values_list("judge_id", "submission_id"):
        for venue_id in judges_at.get(judge_id, ()):
            seats[sub_id, venue_id] += 1
    return dict(seats)


def _assign_category(category: Category, venues: list[Venue], entries: list[Submission]):
    current = {
        a.submission_id: a
        for a in VenueAssignment.objects.filter(submission__category=category).select_related(
            "venue"
        )
    }
    venue_ids = [v.pk for v in venues]
    items = []
    for sub in entries:
        row = current.get(sub.pk)
        locked = row.venue_id if row and row.locked and row.venue_id in venue_ids else None
        items.append(schedule.Entry(sub.pk, sub.enterprise_id, sub.topic_type, locked))
    specs = [schedule.VenueSpec(v.pk, venue_topic(v)) for v in venues]
    recused = _recused_by_venue(category.event, [s.pk for s in entries], venue_ids)
    result = schedule.assign_entries(items, specs, recused=recused)

    admitted = {s.pk for s in entries}
    stale = [a.pk for sid, a in current.items() if sid not in admitted]
    VenueAssignment.objects.filter(pk__in=stale).delete()
    VenueAssignment.objects.filter(venue_id__in=venue_ids).update(
        draw_number=None, starts_at=None, ends_at=None
    )
    changed, created = [], []
    for sub_id, venue_id in result.placements.items():
        row = current.get(sub_id)
        if row is None:
            created.append(VenueAssignment(submission_id=sub_id, venue_id=venue_id))
        elif row.venue_id != venue_id:
            row.venue_id = venue_id
            changed.append(row)
    VenueAssignment.objects.bulk_update(changed, ["venue"])
    VenueAssignment.objects.bulk_create(created)
    return result


@transaction.atomic
def assign_venues(*, event: Event, seed: int | None = None, actor=None) -> AssignmentReport:
    """Assign the admitted entries to their category's venues, draw each venue's order, pack slots.

    A category with written-review venues (书面评审) only is spread over those; they get
    neither a draw nor slots (their dossiers are numbered by code). A category with on-site
    venues besides is placed at those, for its on-site phase after the written review. Locked assignments stay. Without a seed each venue keeps the seed of its last draw (so a
    re-run after a lock or a move reshuffles nothing needlessly); a venue never drawn gets a
    fresh one. The same seed always gives the same order.
    """
    added, removed = sync_auto_recusals(event=event)
    entries = list(admitted_entries(event))
    venues = list(Venue.objects.filter(event=event).select_related("category").order_by("number"))
    outcomes, stacks, unplaced = [], [], []
    for category in Category.objects.filter(event=event).order_by("order", "pk"):
        cat_venues = [v for v in venues if v.category_id == category.pk]
        # A category reviewed in writing with on-site venues too goes to those for its
        # second phase (a defence or skills test): its written panels hold their dossiers
        # through the experts' assignments (judging.dossiers). Without, to its written venues.
        cat_venues = [v for v in cat_venues if not v.is_written] or cat_venues
        cat_entries = [s for s in entries if s.category_id == category.pk]
        if not cat_venues:
            unplaced.extend(s.code for s in cat_entries)
            continue
        result = _assign_category(category, cat_venues, cat_entries)
        names = {s.enterprise_id: s.enterprise.name for s in cat_entries}
        venue_names = {v.pk: v.name for v in cat_venues}
        stacks.extend(
            schedule.Stack(venue_names[s.venue], names[s.enterprise], s.count)
            for s in result.stacks
        )
        for venue in cat_venues:
            venue_seed = seed if seed is not None else _last_seed(venue)
            outcomes.append(
                _draw_venue(venue, seed=venue_seed, reason=_("分配分会场并抽签"), actor=actor)
            )
    record_audit(
        actor=actor,
        action="schedule.assign",
        event=event,
        target=event.slug,
        details={"seed": seed, "placed": sum(o.count for o in outcomes)},
    )
    return AssignmentReport(
        event=event,
        seed=seed,
        venues=tuple(outcomes),
        unplaced=tuple(unplaced),
        stacks=tuple(stacks),
        recusals_added=added,
        recusals_removed=removed,
    )


def _last_seed(venue: Venue) -> int:
    last = Draw.objects.filter(venue=venue).order_by("-created_at", "-pk").first()
    return last.seed if last else schedule.new_seed()


@transaction.atomic
def redraw_venue(*, venue: Venue, reason: str, seed: int | None = None, actor=None) -> VenueOutcome:
    """Draw a venue's running order again with a new (or given) seed; the draw is logged."""
    reason = reason.strip()
    if venue.is_written:
        raise ValidationError(
            _("%(venue)s 是书面评审，没有发表顺序，无需抽签。") % {"venue": venue.name}
        )
    if not reason:
        raise ValidationError(_("重新抽签必须填写原因。"))
    seed = seed if seed is not None else schedule.new_seed()
    outcome = _draw_venue(venue, seed=seed, reason=reason, actor=actor)
    record_audit(
        actor=actor,
        action="schedule.redraw",
        event=venue.event,
        target=venue.name,
        details={"seed": seed, "reason": reason},
    )
    return outcome


@transaction.atomic
def move_entry(*, assignment: VenueAssignment, venue: Venue, actor=None) -> VenueAssignment:
    """Move an entry to another venue of its category, at the end of that venue's order.

    The entry is locked there so a re-run of the assignment keeps it; the old venue's order
    closes the gap.
    """
    submission = assignment.submission
    if venue.event_id != submission.event_id or venue.category_id != submission.category_id:
        raise ValidationError(
            _("%(code)s 只能调整到“%(category)s”的分会场。")
            % {"code": submission.code, "category": submission.category.name}
        )
    old = assignment.venue
    if old.pk == venue.pk:
        return assignment
    last = VenueAssignment.objects.filter(venue=venue).aggregate(m=Max("draw_number"))["m"] or 0
    assignment.venue = venue
    assignment.locked = True
    assignment.draw_number = last + 1
    assignment.save(update_fields=["venue", "locked", "draw_number"])
    for affected in (old, venue):
        rows = _running_order(affected)
        _renumber(rows)
        _pack(affected, rows)
    record_audit(
        actor=actor,
        action="schedule.move",
        event=venue.event,
        target=submission.code,
        details={"from": old.name, "to": venue.name},
    )
    assignment.refresh_from_db()
    return assignment


@transaction.atomic
def set_assignment_lock(*, assignment: VenueAssignment, locked: bool, actor=None) -> None:
    """Lock an assignment (kept by re-runs) or release it."""
    assignment.locked = locked
    assignment.save(update_fields=["locked"])
    record_audit(
        actor=actor,
        action="schedule.lock" if locked else "schedule.unlock",
        event=assignment.venue.event,
        target=assignment.submission.code,
    )


@transaction.atomic
def set_written_exchange(*, assignment: VenueAssignment, written: bool, actor=None) -> None:
    """Mark an entry as written exchange (书面交流, no slot) or as presented; repack its venue."""
    submission = assignment.submission
    if assignment.venue.is_written:
        raise ValidationError(
            _("%(venue)s 是书面评审，材料都不现场发表。") % {"venue": assignment.venue.name}
        )
    submission.presentation_mode = (
        PresentationMode.WRITTEN if written else PresentationMode.PRESENTED
    )
    submission.save(update_fields=["presentation_mode", "updated_at"])
    rows = _running_order(assignment.venue)
    presented = [r for r in rows if r.submission.presentation_mode != PresentationMode.WRITTEN]
    written_rows = [r for r in rows if r.submission.presentation_mode == PresentationMode.WRITTEN]
    _renumber(presented + written_rows)
    _pack(assignment.venue, presented + written_rows)
    record_audit(
        actor=actor,
        action="schedule.written" if written else "schedule.presented",
        event=submission.event,
        target=submission.code,
    )
