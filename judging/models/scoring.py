"""Score sheets, scorecards, venue progress and the hash-chained score ledger."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Category, Event, Venue
from judging.enums import CardSource, CardStatus, LedgerAction, Phase
from judging.models.panels import Judge
from submissions.enums import TopicType
from submissions.models import Submission


def _points(value: Decimal) -> str:
    """Format points without trailing zeros or an exponent: 100, 99.5."""
    return format(value.normalize(), "f")


class ScoreSheet(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="score_sheets", verbose_name=_("活动")
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="score_sheets", verbose_name=_("类别")
    )
    topic_type = models.CharField(
        _("课题类型"),
        max_length=20,
        choices=TopicType.choices,
        blank=True,
        help_text=_("留空表示适用于该类别全部成果"),
    )
    phase = models.CharField(
        _("评审阶段"), max_length=20, choices=Phase.choices, default=Phase.PRESENTATION
    )
    name = models.CharField(_("名称"), max_length=100)
    total = models.DecimalField(_("满分"), max_digits=6, decimal_places=2, default=Decimal("100"))
    weight = models.DecimalField(
        _("阶段权重"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("1"),
        help_text=_("按权重合成各阶段时使用"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        ordering = ["event", "category__order", "phase", "topic_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "topic_type", "phase"],
                name="sheet_unique_per_category_topic_phase",
            ),
            models.CheckConstraint(condition=models.Q(total__gt=0), name="sheet_total_positive"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.category_id and self.event_id and self.category.event_id != self.event_id:
            raise ValidationError({"category": _("所选类别属于另一个活动。")})

    def items_total(self) -> Decimal:
        return sum((item.max_points for item in self.items.all()), Decimal("0"))

    def clean_items(self, max_points: list[Decimal]) -> None:
        """Raise ValidationError unless the items' maximum points add up to the sheet total."""
        total = sum(max_points, Decimal("0"))
        if total != self.total:
            raise ValidationError(
                _("评分项满分合计为 %(sum)s，应等于评分表满分 %(total)s。"),
                params={"sum": _points(total), "total": _points(self.total)},
                code="items_total",
            )

    def validate_items(self) -> None:
        self.clean_items([item.max_points for item in self.items.all()])


class ScoreItem(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="items", verbose_name=_("评分表")
    )
    code = models.CharField(_("编号"), max_length=10, help_text=_("如 B1"))
    name = models.CharField(_("评分项"), max_length=100)
    criteria = models.TextField(_("评分要点"), blank=True)
    max_points = models.DecimalField(
        _("满分"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    step = models.DecimalField(
        _("步长"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["sheet", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="item_code_unique_per_sheet"),
            models.CheckConstraint(condition=models.Q(max_points__gt=0), name="item_max_positive"),
            models.CheckConstraint(condition=models.Q(step__gt=0), name="item_step_positive"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Scorecard(models.Model):
    judge = models.ForeignKey(
        Judge, on_delete=models.PROTECT, related_name="cards", verbose_name=_("评委")
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="cards", verbose_name=_("成果")
    )
    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.PROTECT, related_name="cards", verbose_name=_("评分表")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=CardStatus.choices, default=CardStatus.DRAFT
    )
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, default=Decimal("0"))
    comment = models.TextField(_("总体评价"), blank=True)
    source = models.CharField(
        _("来源"), max_length=10, choices=CardSource.choices, default=CardSource.TABLET
    )
    client_id = models.UUIDField(_("客户端编号"), null=True, blank=True, unique=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    returned_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评分卡")
        verbose_name_plural = _("评分卡")
        ordering = ["submission", "judge__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "submission", "sheet"], name="one_card_per_judge_entry_sheet"
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="card_total_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.judge.code} → {self.submission.code} ({self.get_status_display()})"

    @property
    def counts(self) -> bool:
        """Whether the card counts towards results: submitted, and confirmed when imported from paper."""
        if self.status != CardStatus.SUBMITTED:
            return False
        return self.source != CardSource.PAPER or self.confirmed_by_id is not None

    def keep_lines(self, lines: list["ScoreLine"]) -> None:
        """Hold ``lines`` (the card's, in sheet order) as a prefetch would: ``card.lines.all()``
        answers from them without a query."""
        kept = self.lines.all()
        kept._result_cache, kept._prefetch_done = lines, True
        self._prefetched_objects_cache = {"lines": kept}


class ScoreLine(models.Model):
    card = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(ScoreItem, on_delete=models.PROTECT, related_name="lines")
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("评分明细")
        verbose_name_plural = _("评分明细")
        ordering = ["card_id", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["card", "item"], name="one_line_per_card_item"),
            models.CheckConstraint(
                condition=models.Q(points__gte=0), name="line_points_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.item.code}={self.points}"


class VenueStatus(models.Model):
    """What is happening at a venue on judging day: who presents, the timer, the chair's lock."""

    venue = models.OneToOneField(Venue, on_delete=models.CASCADE, related_name="status")
    now_presenting = models.ForeignKey(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    presenting_since = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lock_override_reason = models.CharField(_("强制锁定原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("分会场进程")
        verbose_name_plural = _("分会场进程")

    def __str__(self):
        return f"{self.venue.name}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class LedgerEntry(models.Model):
    """An append-only, hash-chained record of every change to scores and venue locks."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="ledger")
    # "event" holds the event-wide chain of earlier versions; new entries are chained per
    # venue ("venue:<pk>") so that venues append side by side (see judging/scoring/ledger.py).
    chain = models.CharField(max_length=24, default="event")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=LedgerAction.choices)
    card = models.ForeignKey(
        Scorecard, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger"
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payload = models.TextField(help_text="canonical JSON of the change")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    request_id = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评分账本记录")
        verbose_name_plural = _("评分账本")
        ordering = ["event", "chain", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "chain", "seq"], name="ledger_seq_unique_per_chain"
            ),
            # A tablet's submit carries its client_id as request_id: a card submission is
            # recorded once even where the database has no row locks (SQLite).
            models.UniqueConstraint(
                fields=["card", "request_id"],
                condition=models.Q(action="submit"),
                name="ledger_one_submit_per_card_submission",
            ),
        ]

    def __str__(self):
        return f"{self.chain} #{self.seq} {self.action} {self.hash[:12]}"
