"""Certificates, their designs, and background rendering jobs."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Category, Event
from judging.enums import CertificateAudience, CertificateStatus, JobKind, JobStatus
from submissions.models import Member, Submission


def design_image_path(instance, filename):
    import uuid

    return f"designs/{instance.event_id}/{uuid.uuid4().hex}"


class CertificateDesign(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="certificate_designs", verbose_name=_("活动")
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("类别"),
        help_text=_("留空表示适用于所有类别"),
    )
    audience = models.CharField(_("证书对象"), max_length=10, choices=CertificateAudience.choices)
    title = models.CharField(_("证书标题"), max_length=40, default="荣誉证书")
    wording = models.TextField(
        _("正文"),
        default="{enterprise}{group}的成果《{title}》在{event}中被评为",
        help_text=_(
            "可用字段：{enterprise} {group} {title} {event} {member}；"
            "组织单位和个人证书另有 {name} {organization} {position} {recommender}"
        ),
    )
    issuing_body = models.CharField(_("颁发单位"), max_length=200)
    issue_date = models.DateField(_("颁发日期"))
    seal = models.ImageField(_("印章图片"), upload_to=design_image_path, blank=True)
    background = models.ImageField(_("背景图片"), upload_to=design_image_path, blank=True)

    class Meta:
        verbose_name = _("证书样式")
        verbose_name_plural = _("证书样式")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "category", "audience"], name="one_design_per_category_audience"
            ),
        ]

    def __str__(self):
        return f"{self.event.slug} {self.get_audience_display()} {self.category or ''}"

    def clean(self):
        super().clean()
        if self.category_id and self.event_id and self.category.event_id != self.event_id:
            raise ValidationError({"category": _("所选类别属于另一个活动。")})
        honour = self.audience in CertificateAudience.honours()
        if self.category_id and self.audience:
            expected = CertificateAudience.for_kind(self.category.kind)
            allowed = (
                {expected}
                if honour or self.category.is_nomination
                else {CertificateAudience.GROUP, CertificateAudience.MEMBER}
            )
            if self.audience not in allowed:
                raise ValidationError(
                    {
                        "audience": _("类别“%(category)s”的证书对象应为“%(audience)s”。")
                        % {
                            "category": self.category.name,
                            "audience": CertificateAudience(expected).label,
                        }
                    }
                )
        if honour and any(field in self.wording for field in ("{group}", "{title}")):
            raise ValidationError(
                {
                    "wording": _(
                        "组织单位和个人证书没有小组和成果题目，正文请用 {name} {organization} "
                        "{position} {recommender}，如“授予{name}同志（{organization}）”。"
                    )
                }
            )


def certificate_path(instance, filename):
    return f"certificates/{instance.event_id}/{instance.verify_code}.pdf"


class Certificate(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("活动")
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("成果")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("成员"),
    )
    audience = models.CharField(_("证书对象"), max_length=10, choices=CertificateAudience.choices)
    number = models.CharField(_("证书编号"), max_length=60)
    verify_code = models.CharField(_("验证码"), max_length=32, unique=True)
    honour = models.CharField(_("荣誉"), max_length=120)
    content = models.JSONField(_("证书内容"), default=dict)
    content_hash = models.CharField(_("内容摘要"), max_length=64, blank=True)
    file = models.FileField(_("文件"), upload_to=certificate_path, blank=True, max_length=200)
    rendered_hash = models.CharField(
        _("文件对应的内容摘要"),
        max_length=64,
        blank=True,
        help_text="content hash the file was rendered from",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    revoked_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["event", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "number"], name="certificate_number_unique_per_event"
            ),
            models.UniqueConstraint(
                fields=["submission", "audience"],
                condition=models.Q(member__isnull=True),
                name="one_group_certificate_per_entry",
            ),
            models.UniqueConstraint(
                fields=["member", "audience"],
                condition=models.Q(member__isnull=False),
                name="one_certificate_per_member",
            ),
        ]

    def __str__(self):
        return self.number


def job_output_path(instance, filename):
    import uuid

    return f"jobs/{instance.event_id}/{uuid.uuid4().hex}-{filename}"


class RenderJob(models.Model):
    """A background job whose progress a page polls and whose output file it offers."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("活动")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=JobKind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    message = models.TextField(_("说明"), blank=True)
    output = models.FileField(_("输出文件"), upload_to=job_output_path, blank=True, max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # When the job last moved (started, a chunk finished, work queued again): a running job
    # that has not moved for QCX_JOB_STALL_MINUTES is reconciled with its certificates.
    progress_at = models.DateTimeField(null=True, blank=True)
    requeued_times = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["event", "-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.done / self.total))
