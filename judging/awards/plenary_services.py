"""Writes of the plenary: the showcase's order and comments, the programme."""

from django.db import transaction

from events.models import Event
from events.services import record_audit


def save_showcase(*, event: Event, formset, user=None, request=None) -> int:
    """Save the showcase rows the organizer edited; return how many changed."""
    with transaction.atomic():
        changed = formset.save()
        for row in changed:
            record_audit(
                actor=user,
                action="showcase.edit",
                event=event,
                target=row.submission.code,
                details={"order": row.order, "judge": row.commenting_judge_id},
                request=request,
            )
    return len(changed)


def save_plenary(*, event: Event, formset, user=None, request=None) -> int:
    """Save the plenary programme (new, edited and deleted items); return how many changed."""
    with transaction.atomic():
        items = formset.save(commit=False)
        for item in items:
            item.event = event
            if not item.title:
                continue
            item.save()
        for item in formset.deleted_objects:
            item.delete()
        record_audit(actor=user, action="plenary.edit", event=event, request=request)
    return len(items) + len(formset.deleted_objects)
