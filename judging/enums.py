"""Choices of the judging app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from events.enums import CategoryKind


class SeatRole(models.TextChoices):
    CHAIR = "chair", _("评审组长")
    MEMBER = "member", _("评委")


class RecusalSource(models.TextChoices):
    ENTERPRISE = "enterprise", _("本企业")
    PARENT_GROUP = "group", _("同一集团")
    PROVINCE = "province", _("同一省份")
    RECOMMENDER = "recommender", _("同一推荐单位")
    MANUAL = "manual", _("手工回避")


class Phase(models.TextChoices):
    PRESENTATION = "presentation", _("发表评审")
    DOCUMENTS = "documents", _("资料评审")
    ONSITE = "onsite", _("现场评价")


class CardStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回修改")


class CardSource(models.TextChoices):
    TABLET = "tablet", _("平板")
    API = "api", _("接口")
    PAPER = "paper", _("纸质录入")


class LedgerAction(models.TextChoices):
    SUBMIT = "submit", _("提交评分")
    RETURN = "return", _("退回评分")
    IMPORT = "import", _("纸质评分导入")
    CONFIRM = "confirm", _("复核导入")
    LOCK = "lock", _("锁定分会场")
    UNLOCK = "unlock", _("解锁分会场")


class RunStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class Decision(models.TextChoices):
    BENCHMARK = "benchmark", _("标杆")
    TIER = "tier", _("获奖等级")
    NONE = "none", _("未入选")
    INCOMPLETE = "incomplete", _("评分不足")
    EXCLUDED = "excluded", _("不参与评选")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("成立")
    DISMISSED = "dismissed", _("不成立")
    FRIVOLOUS = "frivolous", _("不予受理")


class CertificateAudience(models.TextChoices):
    GROUP = "group", _("小组/班组证书")
    MEMBER = "member", _("成员证书")
    # Honours of nominations (categories of the kinds org, person, craftsman): one certificate
    # for the honoured organization or person, none for members.
    ORGANIZATION = "org", _("组织单位证书")
    PERSON = "person", _("个人证书")

    @classmethod
    def for_kind(cls, kind: str) -> str:
        """Return the audience of the main certificate of a category's kind."""
        if kind == CategoryKind.ORGANIZATION:
            return cls.ORGANIZATION
        if kind in CategoryKind.persons():
            return cls.PERSON
        return cls.GROUP

    @classmethod
    def honours(cls) -> set[str]:
        """Audiences of the certificates of honoured nominations."""
        return {cls.ORGANIZATION, cls.PERSON}


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已撤销")


class JobKind(models.TextChoices):
    CERTIFICATES = "certificates", _("证书")
    REPORT = "report", _("总结报告")
    IMPORT = "import", _("导入")
    AWARDS = "awards", _("评选计算")
    BADGES = "badges", _("胸卡")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
