"""Enterprises and their entries: members, attachments, the formal review log."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Category, Event, Venue

from .enums import (
    AttachmentKind,
    DelegateKind,
    MemberRole,
    OrganizationKind,
    PresentationMode,
    Status,
    TopicType,
)


class RecommendingBody(models.Model):
    name = models.CharField(_("名称"), max_length=200, unique=True)
    province = models.CharField(_("省份"), max_length=20, blank=True)
    contact = models.CharField(_("联系人"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("推荐单位")
        verbose_name_plural = _("推荐单位")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Enterprise(models.Model):
    name = models.CharField(
        _("企业全称"), max_length=200, unique=True, help_text=_("法定全称，印在证书上")
    )
    short_name = models.CharField(_("简称"), max_length=80, blank=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True
    )
    province = models.CharField(_("省份"), max_length=20, blank=True)
    industry = models.CharField(_("行业"), max_length=60, blank=True)
    parent_group = models.CharField(_("所属集团"), max_length=200, blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="enterprises", blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user account of an enterprise; each user acts for one enterprise."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    is_admin = models.BooleanField(_("企业管理员"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("企业账号")
        verbose_name_plural = _("企业账号")

    def __str__(self):
        return f"{self.user} @ {self.enterprise}"


class Submission(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("活动")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("类别")
    )
    code = models.CharField(_("编号"), max_length=20, help_text=_("如 QC-001"))
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("企业")
    )
    completing_units = models.CharField(
        _("完成单位"), max_length=400, blank=True, help_text=_("多个单位以逗号分隔；留空即申报企业")
    )
    recommender = models.ForeignKey(
        RecommendingBody,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("推荐单位"),
    )
    submitter = models.ForeignKey(
        Enterprise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted",
        verbose_name=_("申报企业"),
        help_text=_("在门户中推荐其他单位的企业；留空即上面的企业本身"),
    )
    group_name = models.CharField(_("小组/班组名称"), max_length=120)
    title = models.CharField(_("题目"), max_length=200)
    topic_type = models.CharField(
        _("课题类型"), max_length=20, choices=TopicType.choices, blank=True
    )
    group_reg_no = models.CharField(_("小组注册号"), max_length=60, blank=True)
    topic_reg_no = models.CharField(_("课题注册号"), max_length=60, blank=True)
    activity_start = models.DateField(_("活动开始"), null=True, blank=True)
    activity_end = models.DateField(_("活动结束"), null=True, blank=True)
    group_intro = models.TextField(_("小组简介"), blank=True)
    topic_reason = models.TextField(_("选题理由"), blank=True)
    activity_summary = models.TextField(_("活动概况"), blank=True)
    main_results = models.TextField(_("主要成果"), blank=True)
    recommender_opinion = models.TextField(_("推荐单位意见"), blank=True)
    meetings = models.PositiveSmallIntegerField(_("活动次数"), null=True, blank=True)
    attendance_rate = models.DecimalField(
        _("出勤率（%）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    benefit_wan = models.DecimalField(
        _("经济效益（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # Nominations (categories of the kinds org, person and craftsman): the nominee is the
    # enterprise above (an organization) or a person of it; the recommender nominates.
    nominee_name = models.CharField(
        _("被推荐人姓名"), max_length=60, blank=True, help_text=_("推荐个人、质量工匠时填写")
    )
    nominee_gender = models.CharField(_("性别"), max_length=4, blank=True)
    nominee_position = models.CharField(_("职务"), max_length=100, blank=True)
    nominee_years = models.PositiveSmallIntegerField(_("工龄（年）"), null=True, blank=True)
    nominee_trade = models.CharField(
        _("工种/专业"), max_length=60, blank=True, help_text=_("质量工匠：从事的工种或专业")
    )
    nominee_skill_level = models.CharField(
        _("技能等级"), max_length=40, blank=True, help_text=_("质量工匠：职业技能等级或职称")
    )
    achievements = models.TextField(_("事迹摘要"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    presentation_mode = models.CharField(
        _("交流方式"),
        max_length=10,
        choices=PresentationMode.choices,
        default=PresentationMode.PRESENTED,
    )
    is_calibration = models.BooleanField(
        _("校准成果"), default=False, help_text=_("所有评委都评分、用于比较分会场宽严，不参与评选")
    )
    review_message = models.TextField(_("审查意见"), blank=True)
    fix_deadline = models.DateTimeField(_("完善截止"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("成果")
        verbose_name_plural = _("成果")
        ordering = ["event", "category__order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "code"], name="submission_code_unique_per_event"
            ),
            models.UniqueConstraint(
                fields=["event", "category", "enterprise", "title"],
                name="submission_title_unique_per_enterprise",
            ),
            models.CheckConstraint(
                condition=models.Q(activity_start__isnull=True)
                | models.Q(activity_end__isnull=True)
                | models.Q(activity_end__gte=models.F("activity_start")),
                name="submission_activity_ordered",
            ),
        ]
        indexes = [models.Index(fields=["event", "category", "status"])]

    def __str__(self):
        return f"{self.code} {self.title}"

    def clean(self):
        super().clean()
        if self.category_id and self.event_id and self.category.event_id != self.event_id:
            raise ValidationError({"category": _("所选类别属于另一个活动。")})

    @property
    def is_admitted(self) -> bool:
        return self.status == Status.ADMITTED

    @property
    def nominee(self) -> str:
        """Who a nomination puts forward: the person, or the organization."""
        return self.nominee_name or self.enterprise.name


class Member(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="members")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    name = models.CharField(_("姓名"), max_length=60)
    role = models.CharField(
        _("角色"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    post = models.CharField(_("职务"), max_length=60, blank=True)
    title = models.CharField(_("职称"), max_length=60, blank=True)
    gender = models.CharField(_("性别"), max_length=4, blank=True)
    education = models.CharField(_("学历"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        ordering = ["submission", "order", "pk"]

    def __str__(self):
        return self.name


def attachment_path(instance, filename):
    """Store files under a random name; the original name is kept in the row."""
    return f"attachments/{instance.submission.event_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类型"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("内容类型"), max_length=120)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["submission", "kind", "-uploaded_at"]

    def __str__(self):
        return self.original_name


class ReviewLog(models.Model):
    """One change of an entry's status by the formal review, with who and when."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="review_log")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=Status.choices)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    message = models.TextField(blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("审查记录")
        verbose_name_plural = _("审查记录")
        ordering = ["submission", "created_at", "pk"]

    def __str__(self):
        return f"{self.submission.code}: {self.from_status} → {self.to_status}"


class ImportJob(models.Model):
    """One upload of the entries workbook by an organizer, imported by a Celery task."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("有错误，未导入")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="import_jobs")
    file = models.FileField(_("文件"), upload_to="imports/", max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default="queued")
    total = models.PositiveIntegerField(_("行数"), default=0)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    summary = models.JSONField(_("结果"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.original_name} ({self.get_state_display()})"


CHECKIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: easy to read aloud


def new_checkin_code() -> str:
    """Return an unguessable check-in code (14 base32 characters, 70 bits)."""
    import secrets

    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(14))


class Delegate(models.Model):
    """One person registered to attend an event: a delegate, guest, judge or staff member."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="delegates", verbose_name=_("活动")
    )
    name = models.CharField(_("姓名"), max_length=60)
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegates",
        verbose_name=_("所在企业"),
    )
    organization = models.CharField(_("单位"), max_length=200)
    organization_kind = models.CharField(
        _("单位类型"),
        max_length=12,
        choices=OrganizationKind.choices,
        default=OrganizationKind.ENTERPRISE,
    )
    province = models.CharField(_("省份"), max_length=20, blank=True)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    mobile = models.CharField(_("手机"), max_length=20)
    email = models.EmailField(_("电子邮箱"), blank=True)
    kind = models.CharField(
        _("参会类型"), max_length=10, choices=DelegateKind.choices, default=DelegateKind.DELEGATE
    )
    arrival = models.DateField(_("报到日期"), null=True, blank=True)
    departure = models.DateField(_("离会日期"), null=True, blank=True)
    lodging = models.BooleanField(_("需要住宿"), default=False)
    dietary = models.CharField(_("饮食要求"), max_length=100, blank=True)
    attends_plenary = models.BooleanField(_("参加大会"), default=True)
    venues = models.ManyToManyField(
        Venue, blank=True, related_name="delegates", verbose_name=_("旁听分会场")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegates",
        verbose_name=_("成果成员"),
    )
    checkin_code = models.CharField(
        _("签到码"), max_length=20, unique=True, default=new_checkin_code, editable=False
    )
    revoked = models.BooleanField(_("已作废"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("参会代表")
        verbose_name_plural = _("参会代表")
        ordering = ["event", "organization", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "mobile"], name="delegate_mobile_unique_per_event"
            ),
            models.CheckConstraint(
                condition=models.Q(arrival__isnull=True)
                | models.Q(departure__isnull=True)
                | models.Q(departure__gte=models.F("arrival")),
                name="delegate_stay_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.organization}）"
