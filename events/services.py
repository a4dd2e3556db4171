"""Writes of the events app."""

from django.http import HttpRequest

from .models import AuditLog, Event


def record_audit(
    *,
    actor,
    action: str,
    event: Event | None = None,
    target: object = "",
    details: dict | None = None,
    request: HttpRequest | None = None,
) -> AuditLog:
    """Append one organizer action to the audit log."""
    ip_address = None
    if request is not None:
        ip_address = request.META.get("REMOTE_ADDR") or None
    return AuditLog.objects.create(
        event=event,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target=str(target)[:200],
        details=details or {},
        ip_address=ip_address,
    )
