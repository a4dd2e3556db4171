"""Award runs and their results, committee overrides, publication, objections, showcase."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event, Venue
from judging.enums import Decision, JobStatus, ObjectionStatus, RunStatus
from submissions.models import Submission


class AwardRun(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="award_runs", verbose_name=_("活动")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    forced_reason = models.CharField(_("强制计算原因"), max_length=300, blank=True)
    digest = models.CharField(_("摘要（SHA-256）"), max_length=64, blank=True)
    message = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("评选计算")
        verbose_name_plural = _("评选计算")
        ordering = ["event", "-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"{self.event.slug} #{self.pk} {self.get_status_display()}"


class Result(models.Model):
    run = models.ForeignKey(AwardRun, on_delete=models.CASCADE, related_name="results")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="results")
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    final_score = models.DecimalField(
        _("最终得分"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    phase_scores = models.JSONField(_("各阶段得分"), default=dict)
    valid_cards = models.PositiveSmallIntegerField(_("有效评分数"), default=0)
    rank_in_venue = models.PositiveIntegerField(_("分会场名次"), null=True, blank=True)
    rank_in_category = models.PositiveIntegerField(_("类别名次"), null=True, blank=True)
    decision = models.CharField(_("结果"), max_length=12, choices=Decision.choices)
    tier = models.CharField(_("等级"), max_length=40, blank=True)
    reason = models.CharField(_("理由"), max_length=300)
    cards = models.JSONField(_("评分明细"), default=list, help_text="per card: judge, total, mark")
    tiebreak_value = models.DecimalField(
        _("决胜项计入均值"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    spread = models.DecimalField(
        _("计入评分极差"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    draw_number = models.PositiveSmallIntegerField(_("抽签号"), null=True, blank=True)

    class Meta:
        verbose_name = _("评选结果")
        verbose_name_plural = _("评选结果")
        ordering = ["run", "submission__category__order", "rank_in_category"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "submission"], name="one_result_per_run_and_entry"
            ),
        ]

    def __str__(self):
        return f"{self.submission.code}: {self.get_decision_display()}"


class RunFairness(models.Model):
    """The stored fairness report of an award run, computed by a background task.

    ``basis`` fingerprints what the report describes (the run, the standing overrides, the
    rules); a page whose current fingerprint differs shows the report as out of date.
    """

    run = models.OneToOneField(AwardRun, on_delete=models.CASCADE, related_name="fairness")
    status = models.CharField(
        _("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    basis = models.CharField(_("依据指纹"), max_length=64, blank=True)
    data = models.JSONField(_("报告内容"), default=dict, blank=True)
    message = models.TextField(_("说明"), blank=True)
    requested_at = models.DateTimeField(_("请求时间"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公平性报告")
        verbose_name_plural = _("公平性报告")

    def __str__(self):
        return f"{self.run} 公平性报告"

    @property
    def busy(self) -> bool:
        return self.status in (JobStatus.PENDING, JobStatus.RUNNING)


class Override(models.Model):
    """A committee decision that stands beside the computed result, never over it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="overrides")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="overrides")
    decision = models.CharField(_("审定结果"), max_length=12, choices=Decision.choices)
    tier = models.CharField(_("等级"), max_length=40, blank=True)
    reason = models.TextField(_("理由"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("评审委员会审定")
        verbose_name_plural = _("评审委员会审定")
        ordering = ["event", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="override_needs_reason"),
        ]

    def __str__(self):
        return f"{self.submission.code} → {self.get_decision_display()}"


class Publication(models.Model):
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="publication")
    run = models.ForeignKey(AwardRun, on_delete=models.PROTECT, related_name="+")
    notice_starts = models.DateTimeField(_("公示开始"))
    notice_ends = models.DateTimeField(_("公示结束"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    finalized_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("结果公示")
        verbose_name_plural = _("结果公示")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notice_ends__gt=models.F("notice_starts")),
                name="notice_window_ordered",
            ),
        ]

    def __str__(self):
        return _("%(event)s 公示") % {"event": self.event.slug}

    @property
    def is_final(self) -> bool:
        return self.finalized_at is not None


def evidence_path(instance, filename):
    import uuid

    return f"objections/{instance.event_id}/{uuid.uuid4().hex}"


class Objection(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="objections")
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="objections", verbose_name=_("成果")
    )
    name = models.CharField(_("姓名"), max_length=60)
    unit = models.CharField(_("单位"), max_length=200)
    contact = models.CharField(_("联系方式"), max_length=100)
    grounds = models.TextField(_("异议理由"))
    evidence = models.FileField(_("证明材料"), upload_to=evidence_path, blank=True, max_length=200)
    # The signed-in enterprise user who filed it (objections are signed, 实名).
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提交账号"),
    )
    status = models.CharField(
        _("处理状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    answer = models.TextField(_("处理意见"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["event", "-created_at"]

    def __str__(self):
        return f"{self.submission.code} {self.name}"


class Showcase(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="showcase", verbose_name=_("活动")
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="+", verbose_name=_("成果")
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    judges_comment = models.TextField(_("专家点评"), blank=True)
    commenting_judge = models.ForeignKey(
        "judging.Judge",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="showcase_comments",
        verbose_name=_("点评专家"),
    )
    reason = models.CharField(
        _("入选理由"), max_length=300, blank=True, help_text=_("组织者调整推荐名单时填写")
    )

    class Meta:
        verbose_name = _("大会展示")
        verbose_name_plural = _("大会展示")
        ordering = ["event", "order"]
        constraints = [
            models.UniqueConstraint(fields=["event", "submission"], name="showcase_entry_once"),
        ]

    def __str__(self):
        return f"{self.order}. {self.submission}"
