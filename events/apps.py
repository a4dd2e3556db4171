from django.apps import AppConfig
from django.db.models.signals import post_delete, post_init, post_save
from django.utils.translation import gettext_lazy as _


def _event_changed(sender, instance, **kwargs):
    """Mark the event's public pages as changed when the organizer edits what they show."""
    from qcexchange import versions

    if sender.__name__ == "Event":
        versions.bump_event(instance.pk)
        # The event it was announced at lists it (its name, its dates), and the contests
        # announced at it name it: those pages change too, and so does the page of the event
        # it was announced at before an edit.
        related = {instance.announced_at_id, getattr(instance, "_loaded_announced_at_id", None)}
        related.update(sender.objects.filter(announced_at=instance.pk).values_list("pk", flat=True))
        for other in related - {None}:
            versions.bump_event(other)
        instance._loaded_announced_at_id = instance.announced_at_id
    elif sender.__name__ == "Venue":
        versions.bump_presenting(instance)  # its name and room show everywhere
    else:
        versions.bump_event(instance.event_id)


def _event_loaded(sender, instance, **kwargs):
    """Remember the event an Event was announced at when loaded, to bump it if that changes."""
    instance._loaded_announced_at_id = instance.__dict__.get("announced_at_id")


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
        post_init.connect(
            _event_loaded, sender=self.get_model("Event"), dispatch_uid="version-init"
        )
