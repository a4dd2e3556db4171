"""Permission predicates of the judging app: plain functions of a user and an object."""

from events.models import Event


def can_manage_event(user, event: Event) -> bool:
    """Organizers of an event (its staff) and superusers."""
    return bool(user and user.is_authenticated and event.is_staff_member(user))


def enterprise_of(user):
    """Return the enterprise a user acts for, or None."""
    if not (user and user.is_authenticated):
        return None
    membership = getattr(user, "membership", None)
    return membership.enterprise if membership else None


def results_are_final(event: Event) -> bool:
    publication = getattr(event, "publication", None)
    return bool(publication and publication.is_final)


def can_download_certificate(user, certificate) -> bool:
    """Organizers of the event; the entry's enterprise once the results are final."""
    if can_manage_event(user, certificate.event):
        return True
    enterprise = enterprise_of(user)
    return bool(
        enterprise
        and certificate.submission.enterprise_id == enterprise.pk
        and results_are_final(certificate.event)
    )
