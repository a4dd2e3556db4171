"""People on site: a delegate's check-in at the plenary or at a venue's session."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event, Venue
from submissions.models import Delegate

PLENARY = "plenary"


def session_key(venue: Venue | None) -> str:
    """Return the key of a session: the plenary, or a venue by its number."""
    return PLENARY if venue is None else f"venue-{venue.number}"


class CheckIn(models.Model):
    """A delegate's badge scanned at one session's door; each session admits a badge once."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("活动")
    )
    delegate = models.ForeignKey(
        Delegate, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("代表")
    )
    session = models.CharField(_("场次"), max_length=20)
    venue = models.ForeignKey(
        Venue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checkins",
        verbose_name=_("分会场"),
    )
    door = models.CharField(_("入口"), max_length=40, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("签到时间"), db_index=True)

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        ordering = ["event", "-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegate", "session"], name="checkin_once_per_session"
            ),
        ]
        indexes = [models.Index(fields=["event", "session"])]

    def __str__(self):
        return f"{self.delegate} @ {self.session}"
