from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _event_changed(sender, instance, **kwargs):
    """Mark the event's public pages as changed when the organizer edits what they show."""
    from qcexchange import versions

    if sender.__name__ == "Event":
        versions.bump_event(instance.pk)
    elif sender.__name__ == "Venue":
        versions.bump_presenting(instance)  # its name and room show everywhere
    else:
        versions.bump_event(instance.event_id)


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = _("活动")

    def ready(self):
        # The admin edits these rows directly; the public pages cache what they show.
        for name in ("Event", "Category", "Venue", "PlenaryItem"):
            model = self.get_model(name)
            post_save.connect(_event_changed, sender=model, dispatch_uid=f"version-{name}")
            post_delete.connect(_event_changed, sender=model, dispatch_uid=f"version-del-{name}")
