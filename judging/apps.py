from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "judging"
    verbose_name = _("评审")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from judging.models import ScoreItem, ScoreSheet
        from qcexchange.versions import bump_sheets

        def sheets_changed(**kwargs):
            bump_sheets()  # the sheets a submit keeps in memory are read afresh

        for model in (ScoreSheet, ScoreItem):
            post_save.connect(sheets_changed, sender=model, dispatch_uid=f"sheets-{model.__name__}")
            post_delete.connect(
                sheets_changed, sender=model, dispatch_uid=f"sheets-del-{model.__name__}"
            )
