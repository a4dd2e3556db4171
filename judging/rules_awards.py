"""Permission predicates of the award pages."""


def can_manage_awards(user, event) -> bool:
    """Organizers of the event (or superusers) run, review and publish its awards."""
    return bool(user and user.is_authenticated and event.is_staff_member(user))
