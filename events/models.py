"""The event and its configuration: categories with award rules, venues, the plenary."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import (
    AwardRule,
    CategoryKind,
    PhaseCombination,
    PlenaryKind,
    QuotaScope,
    Rounding,
    TieRule,
    VenueMode,
)


class Event(models.Model):
    slug = models.SlugField(_("标识"), max_length=60, unique=True)
    number = models.PositiveIntegerField(_("届次"), null=True, blank=True)
    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=80, blank=True)
    theme = models.CharField(_("主题"), max_length=200, blank=True)
    city = models.CharField(_("举办城市"), max_length=60, blank=True)
    venue_name = models.CharField(_("会议地点"), max_length=200, blank=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    organizers = models.TextField(_("主办单位"), blank=True, help_text=_("每行一个"))
    co_organizers = models.TextField(_("协办/承办单位"), blank=True, help_text=_("每行一个"))
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组织者"),
        blank=True,
        related_name="organized_events",
        help_text=_("可管理本活动的组织者账号"),
    )
    submission_opens = models.DateTimeField(_("申报开始"), null=True, blank=True)
    submission_closes = models.DateTimeField(_("申报截止"), null=True, blank=True)
    judging_date = models.DateField(_("现场评审日期"), null=True, blank=True)
    recuse_parent_group = models.BooleanField(_("同一集团的评委回避"), default=False)
    recuse_province = models.BooleanField(_("同一省份的评委回避"), default=False)
    recuse_recommender = models.BooleanField(_("同一推荐单位的评委回避"), default=False)
    outlier_mad_multiple = models.DecimalField(
        _("偏离提示阈值（中位绝对偏差的倍数）"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("3.00"),
    )
    show_scores_publicly = models.BooleanField(_("公示时公开得分"), default=False)
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=7)
    upload_max_mb = models.PositiveIntegerField(_("单个文件大小上限（MB）"), default=50)
    certificate_number_pattern = models.CharField(
        _("证书编号规则"),
        max_length=80,
        default="CMQA-{year}-{prefix}-{seq:04d}",
        help_text=_("可用字段：{year} 年份，{prefix} 类别编号前缀，{seq} 序号"),
    )
    attendance = models.PositiveIntegerField(_("参会人数"), null=True, blank=True)
    attending_organizations = models.PositiveIntegerField(_("参会单位数"), null=True, blank=True)
    is_public = models.BooleanField(_("在首页公开"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    registration_closes = models.DateTimeField(
        _("代表报名截止"), null=True, blank=True, help_text=_("留空表示不设截止")
    )
    delegate_capacity = models.PositiveIntegerField(
        _("代表名额"), null=True, blank=True, help_text=_("全体代表人数上限；留空不限")
    )
    announced_at = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="announced_events",
        verbose_name=_("发布于"),
        help_text=_("在哪次活动上宣布，如大会上宣读通知的竞赛"),
    )
    notice = models.TextField(
        _("活动通知"), blank=True, help_text=_("通知正文，显示在公开的活动页上")
    )
    notice_file = models.FileField(
        _("通知文件"),
        upload_to="notices/",
        max_length=200,
        blank=True,
        help_text=_("正式通知的 PDF，公开页提供下载"),
    )

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-start_date", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="event_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def year(self) -> int:
        return self.start_date.year

    def is_staff_member(self, user) -> bool:
        if not user.is_authenticated:
            return False
        return user.is_superuser or self.staff.filter(pk=user.pk).exists()


class Category(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="categories", verbose_name=_("活动")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=CategoryKind.choices)
    name = models.CharField(_("名称"), max_length=60)
    code_prefix = models.CharField(_("编号前缀"), max_length=10, help_text=_("如 QC、TD、PP"))
    honour = models.CharField(
        _("荣誉名称"),
        max_length=80,
        help_text=_("如 QC成果标杆；证书上印为“2021年机械工业QC成果标杆”"),
    )
    honour_prefix = models.CharField(
        _("荣誉前缀"), max_length=40, blank=True, help_text=_("如 机械工业")
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    slot_minutes = models.PositiveSmallIntegerField(_("发表时长（分钟）"), default=8)
    qa_minutes = models.PositiveSmallIntegerField(_("提问时长（分钟）"), default=2)
    min_members = models.PositiveSmallIntegerField(_("最少成员数"), default=1)
    max_members = models.PositiveSmallIntegerField(_("最多成员数"), default=30)
    # Aggregation
    trim_min_cards = models.PositiveSmallIntegerField(
        _("去掉最高最低分所需的最少有效评分数"), default=3, validators=[MinValueValidator(3)]
    )
    min_valid_cards = models.PositiveSmallIntegerField(
        _("计入排名所需的最少有效评分数"), default=3, validators=[MinValueValidator(1)]
    )
    phase_combination = models.CharField(
        _("多阶段合成方式"),
        max_length=10,
        choices=PhaseCombination.choices,
        default=PhaseCombination.SUM,
    )
    # Award rule
    award_rule = models.CharField(
        _("评选规则"), max_length=12, choices=AwardRule.choices, default=AwardRule.QUOTA
    )
    threshold = models.DecimalField(
        _("分数线"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    quota_percent = models.DecimalField(
        _("入选比例（%）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    quota_count = models.PositiveIntegerField(_("固定名额"), null=True, blank=True)
    quota_scope = models.CharField(
        _("名额范围"), max_length=10, choices=QuotaScope.choices, default=QuotaScope.CATEGORY
    )
    quota_rounding = models.CharField(
        _("名额取整"), max_length=10, choices=Rounding.choices, default=Rounding.HALF_UP
    )
    tie_rule = models.CharField(
        _("名额边界并列处理"), max_length=10, choices=TieRule.choices, default=TieRule.TIEBREAK
    )
    tiebreak_item_code = models.CharField(
        _("决胜评分项编号"), max_length=10, blank=True, help_text=_("留空则取评分表中分值最高的项")
    )
    tiers = models.JSONField(
        _("等级设置"),
        default=list,
        blank=True,
        help_text=_(
            '分等级时使用，如 [{"name": "一等奖", "min_score": 90}] 或 [{"name": "一等奖", "share": 10}]'
        ),
    )
    showcase_count = models.PositiveSmallIntegerField(_("大会展示数量"), default=0)
    # Nominations (kinds org, person, craftsman)
    nomination_limit = models.PositiveSmallIntegerField(
        _("每个推荐单位限报数量"),
        null=True,
        blank=True,
        help_text=_("推荐类别：一个推荐单位（无推荐单位时为申报企业）最多可推荐的数量；留空不限"),
    )
    readers_per_nomination = models.PositiveSmallIntegerField(
        _("每份材料的评审专家数"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("书面评审时，每份推荐材料至少分给几位专家评分"),
    )

    class Meta:
        verbose_name = _("类别")
        verbose_name_plural = _("类别")
        ordering = ["event", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "kind"], name="category_kind_unique_per_event"
            ),
            models.UniqueConstraint(
                fields=["event", "code_prefix"], name="category_prefix_unique_per_event"
            ),
            models.CheckConstraint(
                condition=models.Q(quota_percent__isnull=True)
                | (models.Q(quota_percent__gte=0) & models.Q(quota_percent__lte=100)),
                name="category_quota_percent_range",
            ),
            models.CheckConstraint(
                condition=models.Q(max_members__gte=models.F("min_members")),
                name="category_member_range",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def slot_total_minutes(self) -> int:
        return self.slot_minutes + self.qa_minutes

    @property
    def is_nomination(self) -> bool:
        return self.kind in CategoryKind.nominations()

    @property
    def nominates_person(self) -> bool:
        return self.kind in CategoryKind.persons()

    def honour_for_certificate(self) -> str:
        return f"{self.event.year}年{self.honour_prefix}{self.honour}"


class Venue(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="venues", verbose_name=_("活动")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="venues", verbose_name=_("类别")
    )
    number = models.PositiveSmallIntegerField(_("分会场序号"))
    name = models.CharField(_("名称"), max_length=60, help_text=_("如 第1分会场"))
    mode = models.CharField(
        _("评审方式"),
        max_length=10,
        choices=VenueMode.choices,
        default=VenueMode.ONSITE,
        help_text=_("书面评审：专家在截止日期前各自审阅分给自己的材料，无会议室和时段"),
    )
    room = models.CharField(_("会议室"), max_length=100, blank=True)
    topic_type = models.CharField(
        _("专题（课题类型）"), max_length=20, blank=True, help_text=_("留空表示不限课题类型")
    )
    day = models.DateField(_("日期"), help_text=_("书面评审时为评审截止日期"))
    morning_start = models.TimeField(_("上午开始"), null=True, blank=True)
    morning_end = models.TimeField(_("上午结束"), null=True, blank=True)
    afternoon_start = models.TimeField(_("下午开始"), null=True, blank=True)
    afternoon_end = models.TimeField(_("下午结束"), null=True, blank=True)
    break_minutes = models.PositiveSmallIntegerField(
        _("每节中间休息（分钟）"), default=0, help_text=_("每个半天中间的茶歇")
    )
    extra_days = models.PositiveSmallIntegerField(
        _("追加天数"), default=0, help_text=_("容纳不下时可追加整天，时段与首日相同")
    )
    capacity = models.PositiveIntegerField(
        _("容纳人数"), null=True, blank=True, help_text=_("报名旁听本分会场的代表上限；留空不限")
    )

    class Meta:
        verbose_name = _("分会场")
        verbose_name_plural = _("分会场")
        ordering = ["event", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "number"], name="venue_number_unique_per_event"
            ),
            models.CheckConstraint(
                condition=models.Q(morning_start__isnull=True)
                | models.Q(morning_end__isnull=True)
                | models.Q(morning_end__gt=models.F("morning_start")),
                name="venue_morning_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(afternoon_start__isnull=True)
                | models.Q(afternoon_end__isnull=True)
                | models.Q(afternoon_end__gt=models.F("afternoon_start")),
                name="venue_afternoon_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.category.name}）" if self.category_id else self.name

    def clean(self):
        super().clean()
        if self.category_id and self.event_id and self.category.event_id != self.event_id:
            raise ValidationError({"category": _("所选类别属于另一个活动。")})

    @property
    def is_written(self) -> bool:
        return self.mode == VenueMode.WRITTEN


class PlenaryItem(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="plenary_items", verbose_name=_("活动")
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    kind = models.CharField(
        _("议程类型"), max_length=20, choices=PlenaryKind.choices, default=PlenaryKind.SPEECH
    )
    starts_at = models.DateTimeField(_("时间"), null=True, blank=True)
    title = models.CharField(_("题目"), max_length=200)
    chair = models.CharField(_("主持人"), max_length=100, blank=True)
    speaker = models.CharField(_("报告人/致辞人"), max_length=100, blank=True)
    speaker_title = models.CharField(_("职务"), max_length=200, blank=True)
    summary = models.TextField(_("内容摘要"), blank=True)

    class Meta:
        verbose_name = _("大会议程")
        verbose_name_plural = _("大会议程")
        ordering = ["event", "order", "pk"]

    def __str__(self):
        return self.title


class ReportSection(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="report_sections", verbose_name=_("活动")
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    title = models.CharField(
        _("标题"), max_length=200, help_text=_("如 存在的共性问题、下一步建议")
    )
    body = models.TextField(_("正文"), help_text=_("空行分段"))

    class Meta:
        verbose_name = _("总结报告章节")
        verbose_name_plural = _("总结报告章节")
        ordering = ["event", "order", "pk"]

    def __str__(self):
        return self.title


class AuditLog(models.Model):
    """One organizer action, kept for accountability: who did what, to what, when, from where."""

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_log",
        verbose_name=_("活动"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=60)
    target = models.CharField(_("对象"), max_length=200, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"
