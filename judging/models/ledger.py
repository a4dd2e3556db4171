"""Anchors of the score ledger: its chain heads recorded, signed, outside the chain itself."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event, Venue
from judging.models.awards import AwardRun


class AnchorKind(models.TextChoices):
    LOCK = "lock", _("分会场锁定回执")
    PUBLICATION = "publication", _("结果公示")
    EXPORT = "export", _("组织者导出")


class LedgerAnchor(models.Model):
    """The heads (entry count and hash) of every ledger chain of an event at one moment.

    ``heads`` is the canonical JSON ``{chain: [entries, hash]}``; ``head`` is the event head
    computed over them; ``signature`` is an HMAC of the anchor with a key the database does not
    hold, so an anchor cannot be rewritten to match an edited ledger. The same text is printed
    on the chair's receipt, shown on the public results page and exported to the organizer.
    """

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="ledger_anchors")
    kind = models.CharField(_("类型"), max_length=12, choices=AnchorKind.choices)
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_anchors"
    )
    run = models.ForeignKey(
        AwardRun, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_anchors"
    )
    heads = models.TextField(help_text="canonical JSON {chain: [entries, hash]}")
    entries = models.PositiveIntegerField(_("记录数"))
    head = models.CharField(_("账本总哈希"), max_length=64)
    signature = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("账本锚点")
        verbose_name_plural = _("账本锚点")
        ordering = ["event", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.entries} {self.head[:12]}"
