"""What a venue's chair does: return a card, lock and unlock the venue, call the next entry.

Each of these appends to the venue's ledger chain in the same transaction and bumps what the
venue's pages show; the judges' own writes (drafts, submits) are in judging.scoring.services.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Venue
from events.services import record_audit
from judging import dossiers, rules
from judging.enums import CardStatus, LedgerAction
from judging.models import (
    AnchorKind,
    Scorecard,
    VenueAssignment,
    VenueStatus,
)
from judging.scoring.anchors import record_anchor
from judging.scoring.ledger import append_card_entry, append_entry
from judging.scoring.selectors import missing_cards, running_order
from judging.scoring.services import _venue_status
from qcexchange.versions import bump_cards, bump_presenting, bump_venue
from submissions.models import Submission


def _require_chair(user, venue: Venue) -> None:
    if not rules.is_chair(user, venue):
        raise ValidationError(
            _("只有 %(venue)s 的评审组长可以执行此操作。") % {"venue": venue.name}, code="not_chair"
        )


def return_scorecard(*, card: Scorecard, actor, reason: str) -> Scorecard:
    """Return a submitted card to its judge for revision, with the chair's reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("退回评分卡需要填写原因。"), code="reason")
    venue = dossiers.venue_of_card(card)
    _require_chair(actor, venue)
    with transaction.atomic():
        if _venue_status(venue, for_update=True).is_locked:
            raise ValidationError(
                _("%(venue)s 已锁定，不能退回评分。") % {"venue": venue.name}, code="locked"
            )
        card = Scorecard.objects.select_for_update(of=("self",)).order_by().get(pk=card.pk)
        if card.status != CardStatus.SUBMITTED:
            raise ValidationError(
                _("评分卡 %(judge)s→%(entry)s 尚未提交，无需退回。")
                % {"judge": card.judge.code, "entry": card.submission.code}
            )
        card.status = CardStatus.RETURNED
        card.returned_reason = reason[:300]
        card.returned_by = actor
        card.client_id = None
        card.save()
        append_card_entry(
            card=card,
            action=LedgerAction.RETURN,
            actor=actor,
            extra={"reason": reason},
            venue=venue,
        )
        bump_cards(venue)
    return card


def lock_venue(*, venue: Venue, actor, override_reason: str = "") -> VenueStatus:
    """Close the venue's scoring: every non-recused card submitted, or an override with a reason."""
    _require_chair(actor, venue)
    override_reason = override_reason.strip()
    with transaction.atomic():
        status = _venue_status(venue, for_update=True)
        if status.is_locked:
            raise ValidationError(_("%(venue)s 已经锁定。") % {"venue": venue.name}, code="locked")
        missing = missing_cards(venue)
        if missing and not override_reason:
            sample = "、".join(f"{j.code}→{e.code}" for j, e in missing[:5])
            raise ValidationError(
                _(
                    "%(venue)s 还有 %(n)s 张评分卡未提交（%(cards)s），请等待提交，或填写强制锁定原因。"
                )
                % {"venue": venue.name, "n": len(missing), "cards": sample},
                code="incomplete",
            )
        status.locked_at = timezone.now()
        status.locked_by = actor
        status.lock_override_reason = override_reason if missing else ""
        status.save()
        cards = Scorecard.objects.filter(
            submission_id__in=[a.submission_id for a in running_order(venue)],
            sheet__phase__in=dossiers.phases_at(venue),
            status=CardStatus.SUBMITTED,
        ).order_by("pk")
        append_entry(
            event=venue.event,
            action=LedgerAction.LOCK,
            venue=venue,
            actor=actor,
            data={
                "venue": venue.number,
                "cards": {str(card.pk): card.total for card in cards},
                "missing": [f"{j.code}:{e.code}" for j, e in missing],
                "override": status.lock_override_reason,
            },
        )
        receipt = record_anchor(event=venue.event, kind=AnchorKind.LOCK, venue=venue, user=actor)
        record_audit(
            actor=actor,
            action="lock_venue",
            event=venue.event,
            target=venue.name,
            details={
                "override": status.lock_override_reason,
                "missing": len(missing),
                "ledger_head": receipt.head,
            },
        )
        bump_venue(venue)
    return status


def unlock_venue(*, venue: Venue, actor, reason: str, request=None) -> VenueStatus:
    """Reopen a locked venue; only an organizer of the event may, with a reason, and it is logged."""
    reason = reason.strip()
    if not rules.is_organizer(actor, venue.event):
        raise ValidationError(_("只有本活动的组织者可以解锁分会场。"), code="not_organizer")
    if not reason:
        raise ValidationError(_("解锁分会场需要填写原因。"), code="reason")
    with transaction.atomic():
        status = _venue_status(venue, for_update=True)
        if not status.is_locked:
            raise ValidationError(_("%(venue)s 没有锁定。") % {"venue": venue.name})
        status.locked_at = None
        status.locked_by = None
        status.lock_override_reason = ""
        status.save()
        append_entry(
            event=venue.event,
            action=LedgerAction.UNLOCK,
            venue=venue,
            actor=actor,
            data={"venue": venue.number, "reason": reason},
        )
        record_audit(
            actor=actor,
            action="unlock_venue",
            event=venue.event,
            target=venue.name,
            details={"reason": reason},
            request=request,
        )
        bump_venue(venue)
    return status


def set_presenting(*, venue: Venue, actor, submission: Submission | None) -> VenueStatus:
    """Show an entry (or nobody) as presenting now at the venue and restart its timer."""
    _require_chair(actor, venue)
    if venue.is_written:
        raise ValidationError(
            _("%(venue)s 是书面评审，没有现场发表。") % {"venue": venue.name}, code="written"
        )
    if (
        submission is not None
        and not VenueAssignment.objects.filter(venue=venue, submission=submission).exists()
    ):
        raise ValidationError(
            _("成果 %(entry)s 不在 %(venue)s。") % {"entry": submission.code, "venue": venue.name}
        )
    with transaction.atomic():
        status = _venue_status(venue, for_update=True)
        status.now_presenting = submission
        status.presenting_since = timezone.now() if submission else None
        status.save(update_fields=["now_presenting", "presenting_since"])
        bump_presenting(venue)
    return status


def advance_presenting(*, venue: Venue, actor) -> VenueStatus:
    """Move "now presenting" to the next entry of the running order (the first one to start)."""
    order = list(
        VenueAssignment.objects.filter(venue=venue)
        .select_related("submission")
        .order_by("draw_number", "pk")
    )
    current = _venue_status(venue).now_presenting_id
    codes = [a.submission_id for a in order]
    index = codes.index(current) + 1 if current in codes else 0
    following = order[index].submission if index < len(order) else None
    return set_presenting(venue=venue, actor=actor, submission=following)
