from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "judging"
    verbose_name = _("评审")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from events.models import Venue
        from judging.models import Judge, PanelSeat, ScoreItem, ScoreSheet
        from qcexchange.versions import bump_event_venues, bump_sheets, bump_venue

        def sheets_changed(**kwargs):
            bump_sheets()  # the sheets a submit keeps in memory are read afresh

        for model in (ScoreSheet, ScoreItem):
            post_save.connect(sheets_changed, sender=model, dispatch_uid=f"sheets-{model.__name__}")
            post_delete.connect(
                sheets_changed, sender=model, dispatch_uid=f"sheets-del-{model.__name__}"
            )

        def seat_changed(instance, **kwargs):
            # The venue's matrix has a column more, or less (nothing to mark once the venue
            # itself is being deleted).
            venue = Venue.objects.filter(pk=instance.venue_id).first()
            if venue is not None:
                bump_venue(venue)

        def judge_changed(instance, **kwargs):
            bump_event_venues(instance.event_id)  # their names head the matrices' columns

        post_save.connect(seat_changed, sender=PanelSeat, dispatch_uid="versions-seat")
        post_delete.connect(seat_changed, sender=PanelSeat, dispatch_uid="versions-seat-del")
        post_save.connect(judge_changed, sender=Judge, dispatch_uid="versions-judge")
