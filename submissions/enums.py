"""Choices of the submissions app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TopicType(models.TextChoices):
    ONSITE = "onsite", _("现场型")
    TACKLING = "tackling", _("攻关型")
    MANAGEMENT = "management", _("管理型")
    SERVICE = "service", _("服务型")
    INNOVATION = "innovation", _("创新型")

    @classmethod
    def problem_solving(cls) -> set[str]:
        return {cls.ONSITE, cls.TACKLING, cls.MANAGEMENT, cls.SERVICE}


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    ADMITTED = "admitted", _("参评")
    RETURNED = "returned", _("完善后参评")
    REJECTED = "rejected", _("不评")
    DEFERRED = "deferred", _("缓评")
    WITHDRAWN = "withdrawn", _("已撤回")


class PresentationMode(models.TextChoices):
    PRESENTED = "presented", _("现场发表")
    WRITTEN = "written", _("书面交流")


class MemberRole(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("组员")
    ADVISOR = "advisor", _("顾问")
    SPEAKER = "speaker", _("讲述人")


class AttachmentKind(models.TextChoices):
    REPORT = "report", _("成果报告")
    SLIDES = "slides", _("发表材料")
    EVIDENCE = "evidence", _("证明材料")
    OTHER = "other", _("其他附件")


class DelegateKind(models.TextChoices):
    DELEGATE = "delegate", _("代表")
    GUEST = "guest", _("嘉宾")
    JUDGE = "judge", _("评委")
    STAFF = "staff", _("工作人员")


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    ASSOCIATION = "association", _("协会/社会组织")
    RECOMMENDER = "recommender", _("推荐单位")
    GUEST = "guest", _("特邀单位")
