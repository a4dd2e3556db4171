"""Venue assignment of entries, the drawn running order and the time slots."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Venue
from submissions.models import Submission


class VenueAssignment(models.Model):
    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="assignment", verbose_name=_("成果")
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("分会场")
    )
    locked = models.BooleanField(_("锁定"), default=False, help_text=_("重新分配时保留"))
    draw_number = models.PositiveSmallIntegerField(_("抽签号"), null=True, blank=True)
    starts_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("分会场安排")
        verbose_name_plural = _("分会场安排")
        ordering = ["venue", "draw_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "draw_number"], name="draw_number_unique_per_venue"
            ),
        ]

    def __str__(self):
        return f"{self.venue.name} #{self.draw_number} {self.submission.code}"

    def clean(self):
        super().clean()
        if self.venue_id and self.submission_id and self.venue.event_id != self.submission.event_id:
            raise ValidationError({"venue": _("分会场与成果不属于同一活动。")})


class Draw(models.Model):
    """One draw of a venue's running order; re-draws are kept as a log."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="draws", verbose_name=_("分会场")
    )
    seed = models.BigIntegerField(_("随机种子"))
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("抽签记录")
        verbose_name_plural = _("抽签记录")
        ordering = ["venue", "-created_at", "-pk"]

    def __str__(self):
        return f"{self.venue.name} seed={self.seed}"
