"""Writes of the judges on site: drafts and submits (a venue chair's writes are in chairs.py).

Every submit appends to the score ledger in the same transaction.
Errors are ``django.core.exceptions.ValidationError`` with clear Chinese messages.

Recording a card from a script (e.g. ``seed_demo --scores``)::

    submit_scorecard(judge=judge, submission=entry, points={"B1": Decimal("12.5"), ...})

"""

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Venue
from judging import dossiers, recusal
from judging.enums import CardSource, CardStatus, LedgerAction
from judging.models import (
    Judge,
    LedgerEntry,
    PanelSeat,
    Recusal,
    ReviewAssignment,
    Scorecard,
    ScoreLine,
    ScoreSheet,
    VenueAssignment,
    VenueStatus,
)
from judging.scoring import retry
from judging.scoring.checks import check_points
from judging.scoring.ledger import append_card_entry
from judging.scoring.sheets import item_rules, sheet_for
from qcexchange.versions import bump_cards
from submissions.models import Enterprise, Submission


def _venue_status(venue: Venue, *, for_update: bool = False) -> VenueStatus:
    """Return the venue's status row; with ``for_update`` hold its lock until commit.

    Submits lock it too, so a chair's lock waits for cards in flight and no card is written
    into a venue once it is locked.
    """
    queryset = (
        VenueStatus.objects.select_for_update(of=("self",)) if for_update else VenueStatus.objects
    )
    status = queryset.filter(venue=venue).first()
    if status is None:
        status, created = VenueStatus.objects.get_or_create(venue=venue)
        if for_update and not created:
            status = queryset.get(pk=status.pk)
    return status


def _check_may_score(judge: Judge, submission: Submission, seat: PanelSeat | None = None) -> Venue:
    """Return the entry's venue, or raise unless the judge may score the entry there now.

    ``seat`` is the judge's seat at the entry's venue as ``rules.entry_for_judge_or_404``
    found it for this very entry (a tablet's submit): what it established is not asked again.
    """
    if found_for(seat, judge, submission):
        return _check_seated(judge, submission, seat)
    if submission.event_id != judge.event_id:
        raise ValidationError(
            _("成果 %(entry)s 不属于评委 %(judge)s 的活动。")
            % {"entry": submission.code, "judge": judge.code}
        )
    # One query answers where the entry is, whether the judge sits there and is recused:
    # a stored recusal, or the event's rules on the judge's affiliation and the entry's
    # enterprise as they are now (the judge may have been seated after venues were assigned).
    affiliation = Enterprise.objects.filter(pk=judge.affiliation_id)
    assignment = (
        VenueAssignment.objects.select_related(
            "venue__event", "submission__enterprise", "submission__recommender"
        )
        .annotate(
            seated=Exists(PanelSeat.objects.filter(judge=judge, venue=OuterRef("venue_id"))),
            stored_recusal=Exists(Recusal.objects.filter(judge=judge, submission=submission)),
            given=Exists(ReviewAssignment.objects.filter(judge=judge, submission=submission)),
            affiliation_name=Subquery(affiliation.values("name")[:1]),
            affiliation_group=Subquery(affiliation.values("parent_group")[:1]),
            affiliation_province=Subquery(affiliation.values("province")[:1]),
        )
        .filter(submission=submission)
        .order_by()
        .first()
    )
    if assignment is None or (assignment.given and not assignment.venue.is_written):
        # Given in writing, placed on site (a defence) or nowhere: which panel scores it now.
        review = dossiers.review_to_score(judge, submission)
        if review is not None:
            return _check_may_score_in_writing(judge, submission, review.venue)
    if assignment is None:
        raise ValidationError(
            _("成果 %(entry)s 尚未分配分会场，不能评分。") % {"entry": submission.code}
        )
    venue = assignment.venue
    if not assignment.seated:
        raise ValidationError(
            _("评委 %(judge)s 不在 %(venue)s 的评审组中，不能为成果 %(entry)s 评分。")
            % {"judge": judge.code, "venue": venue.name, "entry": submission.code}
        )
    if assignment.stored_recusal or recusal.recused_by_rules(judge, assignment):
        raise _recused(judge, submission)
    if venue.is_written and not assignment.given:
        raise ValidationError(
            _("推荐材料 %(entry)s 没有分给专家 %(judge)s（%(venue)s 为书面评审，只评分到的材料）。")
            % {"judge": judge.code, "venue": venue.name, "entry": submission.code},
            code="unassigned",
        )
    return _open_for_cards(venue)


def found_for(seat: PanelSeat | None, judge: Judge, submission: Submission) -> bool:
    """Return whether ``seat`` is the judge's seat as ``rules.entry_for_judge_or_404`` found it
    for this very entry (at the entry's venue or, in a written review, with the dossier given
    to the expert): what that look-up established (its ``checked_*`` attributes) holds."""
    return (
        seat is not None
        and seat.judge_id == judge.pk
        and getattr(seat, "checked_entry_id", None) == submission.pk
    )


def _check_seated(judge: Judge, submission: Submission, seat: PanelSeat) -> Venue:
    """The rest of ``_check_may_score`` for a judge known to sit where the entry is:
    recusal (stored, as the seat's look-up found it, or by the event's rules on the loaded
    affiliation and enterprise) and the venue's lock."""
    venue = seat.venue
    if seat.checked_stored_recusal or recusal.rule_source(
        judge=judge, submission=submission, event=venue.event
    ):
        raise _recused(judge, submission)
    return _open_for_cards(venue)


def _check_may_score_in_writing(judge: Judge, submission: Submission, venue: Venue) -> Venue:
    """Return the written panel, or raise unless the expert given the dossier may score it now."""
    if not PanelSeat.objects.filter(judge=judge, venue=venue).exists():
        raise ValidationError(
            _("评委 %(judge)s 不在 %(venue)s 的评审组中，不能为成果 %(entry)s 评分。")
            % {"judge": judge.code, "venue": venue.name, "entry": submission.code}
        )
    if recusal.recusal_source(judge, submission) is not None:
        raise _recused(judge, submission)
    return _open_for_cards(venue)


def _recused(judge: Judge, submission: Submission) -> ValidationError:
    return ValidationError(
        _("评委 %(judge)s 对成果 %(entry)s 须回避（与申报单位存在关联），不能评分。")
        % {"judge": judge.code, "entry": submission.code},
        code="recused",
    )


def _already_submitted(submission: Submission) -> ValidationError:
    return ValidationError(
        _("成果 %(entry)s 的评分已提交；如需修改，请评审组长退回。") % {"entry": submission.code},
        code="submitted",
    )


def _open_for_cards(venue: Venue) -> Venue:
    """Return the venue, or raise once it is locked; mark its cards as changed on commit."""
    if _venue_is_locked_shared(venue):
        raise ValidationError(
            _("%(venue)s 已锁定，评分不能再修改。") % {"venue": venue.name}, code="locked"
        )
    bump_cards(venue)  # on commit: the card written next changes what the venue shows
    return venue


def _venue_is_locked_shared(venue: Venue) -> bool:
    """Return whether the venue is locked, holding a shared lock on its status until commit.

    On PostgreSQL the row is read FOR SHARE: the judges of a venue submit side by side, while a
    chair's lock (FOR UPDATE) waits for the cards in flight and no card lands after it. SQLite
    serialises writers by itself.
    """
    if connection.vendor != "postgresql":
        return _venue_status(venue).is_locked
    table = connection.ops.quote_name(VenueStatus._meta.db_table)
    with connection.cursor() as cursor:
        for _attempt in range(2):
            cursor.execute(
                f"SELECT locked_at FROM {table} WHERE venue_id = %s FOR SHARE", [venue.pk]
            )
            row = cursor.fetchone()
            if row is not None:
                return row[0] is not None
            _venue_status(venue)  # the venue's first card: create its status row
    raise RuntimeError(f"no status row for venue {venue.pk}")


def _write_lines(card: Scorecard, sheet: ScoreSheet, points: dict[str, Decimal]) -> None:
    """Make the card's lines exactly ``points``, touching only the lines that change; the card
    keeps them in memory (as a prefetch would) for the ledger and the answer."""
    if getattr(card, "_new", False):
        existing = {}
    else:
        existing = {line.item.code: line for line in card.lines.select_related("item")}
    stale = [line.pk for code, line in existing.items() if code not in points]
    if stale:
        ScoreLine.objects.filter(pk__in=stale).delete()
    changed = []
    for code, value in points.items():
        line = existing.get(code)
        if line is not None and line.points != value:
            line.points = value
            changed.append(line)
    if changed:
        ScoreLine.objects.bulk_update(changed, ["points"])
    items = {item.code: item for item in sheet.items.all()}
    created = ScoreLine.objects.bulk_create(
        [
            ScoreLine(card=card, item=items[code], points=value)
            for code, value in points.items()
            if code not in existing
        ]
    )
    current = [line for code, line in existing.items() if code in points] + created
    for line in current:
        line.points = Decimal(line.points).quantize(Decimal("0.01"))  # as the database returns it
    current.sort(key=lambda line: (line.item.order, line.item.pk))
    card.keep_lines(current)


def _existing_card(judge: Judge, submission: Submission, sheet: ScoreSheet) -> Scorecard | None:
    """Return the judge's card for the entry on the sheet, locked until commit, or None."""
    if not judge.event_id == submission.event_id == sheet.event_id:
        raise ValidationError(_("评委、成果与评分表不属于同一活动。"))
    card = (
        Scorecard.objects.select_for_update(of=("self",))
        .order_by()
        .filter(judge=judge, submission=submission, sheet=sheet)
        .first()
    )
    if card is not None:
        card.judge, card.submission, card.sheet = judge, submission, sheet
    return card


def _locked_card(judge: Judge, submission: Submission, sheet: ScoreSheet) -> Scorecard:
    """Return the judge's card for the entry, locked until commit; create it when missing.

    Only the card row is locked (``of=("self",)``, no ordering joins): locking the joined
    entry and event rows too would serialise every submit of the event and deadlock.
    """
    if not judge.event_id == submission.event_id == sheet.event_id:
        raise ValidationError(_("评委、成果与评分表不属于同一活动。"))
    key = {"judge": judge, "submission": submission, "sheet": sheet}
    card = Scorecard.objects.select_for_update(of=("self",)).order_by().filter(**key).first()
    if card is None:
        try:
            with transaction.atomic():
                card = Scorecard.objects.create(**key)
            card._new = True
        except IntegrityError:
            # Another request created it a moment ago; wait for its lock.
            card = Scorecard.objects.select_for_update(of=("self",)).order_by().get(**key)
    card.judge, card.submission, card.sheet = judge, submission, sheet
    return card


def save_draft(
    *,
    judge: Judge,
    submission: Submission,
    points: dict[str, object],
    comment: str = "",
) -> Scorecard:
    """Keep a judge's unfinished card; values given must be valid, missing items are allowed."""
    sheet = sheet_for(submission, judge=judge)
    check = check_points(item_rules(sheet), points, complete=False)
    if check.errors:
        raise ValidationError(check.errors)
    with transaction.atomic():
        _check_may_score(judge, submission)
        card = _locked_card(judge, submission, sheet)
        if card.status == CardStatus.SUBMITTED:
            raise _already_submitted(submission)
        _write_lines(card, sheet, check.points)
        card.total = check.total
        card.comment = comment
        card.save(update_fields=["total", "comment", "updated_at"])
    return card


def submit_scorecard(
    *,
    judge: Judge,
    submission: Submission,
    points: dict[str, object],
    comment: str = "",
    client_id: uuid.UUID | str | None = None,
    source: str = CardSource.TABLET,
    actor=None,
    seat: PanelSeat | None = None,
) -> Scorecard:
    """Submit a judge's card for an entry and append it to the ledger; return the card.

    ``points`` maps item codes to points (Decimal, number or text). Every item must be scored
    within 0..max on its step; the total is computed here. A request repeated with the same
    ``client_id`` returns the card already stored instead of storing it again; the returned
    card's ``replayed`` attribute tells which happened. ``seat`` is the judge's seat as
    ``rules.entry_for_judge_or_404`` found it for this entry (the API passes it).
    """
    client_id = uuid.UUID(str(client_id)) if client_id else uuid.uuid4()
    if found_for(seat, judge, submission):
        sheet = sheet_for(submission, venue=seat.venue)  # the seat is where the judge scores it
    else:
        sheet = sheet_for(submission, judge=judge)
    check = check_points(item_rules(sheet), points, complete=True)
    if check.errors:
        raise ValidationError(check.errors)
    for attempt in range(retry.SQLITE_LOCK_RETRIES + 1):
        try:
            # The API asked already, holding the card's submits back (judging.scoring.resends).
            replay = None if seat is not None else _replayed(client_id, judge, submission)
            if replay is not None:
                return replay
            card = _store_submit(
                judge=judge,
                submission=submission,
                sheet=sheet,
                check=check,
                comment=comment,
                client_id=client_id,
                source=source,
                actor=actor,
                seat=seat,
            )
        except IntegrityError as error:
            # The same submission arrived twice at once (the tablet's retry and its resend):
            # the database refused the second card or ledger entry; answer as a replay.
            replay = _replayed(client_id, judge, submission)
            if replay is not None:
                return replay
            if LedgerEntry.objects.filter(
                card__judge=judge, card__submission=submission, request_id=client_id
            ).exists():
                # A stale resend of a submission recorded before the card was returned.
                raise ValidationError(
                    _("这份评分已提交过（评审组长退回后须重新提交）；请刷新页面后再提交。"),
                    code="client_id",
                ) from error
            if attempt == retry.SQLITE_LOCK_RETRIES:
                raise
            if seat is not None:
                seat.checked_no_card = False  # there is a card after all
            continue  # the card was created beside us (a draft): take it, locked, this time
        except OperationalError as error:
            # SQLite answers a concurrent writer with "locked" instead of waiting for it.
            if not retry.sqlite_locked(error) or attempt == retry.SQLITE_LOCK_RETRIES:
                raise
            retry.pause(attempt)
            continue
        return card
    raise AssertionError("unreachable")


def _store_submit(*, judge, submission, sheet, check, comment, client_id, source, actor, seat):
    with transaction.atomic():
        venue = _check_may_score(judge, submission, seat)
        submitted = {
            "total": check.total,
            "comment": comment,
            "status": CardStatus.SUBMITTED,
            "source": source,
            "client_id": client_id,
            "submitted_at": timezone.now(),
        }
        if found_for(seat, judge, submission) and seat.checked_no_card:
            # The usual case: the look-up found no card of the judge for the entry. One made
            # since (a draft saved beside this submit) makes the insert below fail and the
            # submit look again (see submit_scorecard).
            card = None
        else:
            card = _existing_card(judge, submission, sheet)
        if card is None:
            # The usual case: the card is written once, whole. A card created at the same
            # moment (the same submit sent twice) makes this insert fail and the submit answer
            # as a replay (see submit_scorecard).
            card = Scorecard.objects.create(
                judge=judge, submission=submission, sheet=sheet, **submitted
            )
            card._new = True
            _write_lines(card, sheet, check.points)
        else:
            if card.client_id == client_id and card.status == CardStatus.SUBMITTED:
                card.replayed = True
                return card
            if card.status == CardStatus.SUBMITTED:
                raise _already_submitted(submission)
            _write_lines(card, sheet, check.points)
            for field, value in submitted.items():
                setattr(card, field, value)
            card.save()
        # The client_id keys the ledger entry: a second entry for it violates
        # ledger_one_submit_per_card_submission and the whole submit rolls back.
        append_card_entry(
            card=card,
            action=LedgerAction.SUBMIT,
            actor=actor or judge.user,
            venue=venue,
            request_id=client_id,
        )
    card.replayed = False
    return card


def _replayed(client_id: uuid.UUID, judge: Judge, submission: Submission) -> Scorecard | None:
    card = Scorecard.objects.filter(client_id=client_id).order_by().first()
    if card is None:
        return None
    if card.judge_id != judge.pk or card.submission_id != submission.pk:
        raise ValidationError(_("客户端编号已被另一张评分卡使用。"), code="client_id")
    card.replayed = True
    return card


def record_scorecard(
    *,
    judge: Judge,
    submission: Submission,
    sheet: ScoreSheet | None = None,
    points: dict[str, object],
    submit: bool = True,
    actor=None,
    comment: str = "",
) -> Scorecard:
    """Record a card as a tablet would (used by scripts such as the demo): submit or keep a draft."""
    if submit:
        return submit_scorecard(
            judge=judge, submission=submission, points=points, comment=comment, actor=actor
        )
    return save_draft(judge=judge, submission=submission, points=points, comment=comment)
