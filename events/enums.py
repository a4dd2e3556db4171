"""Choices of the events app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryKind(models.TextChoices):
    QC = "qc", _("QC成果")
    TEAM = "team", _("质量信得过班组")
    STORY = "story", _("质量品牌故事")
    # Further kinds honoured at the same events; entries of these kinds use the same flow.
    ORGANIZATION = "org", _("优秀组织单位")
    INDIVIDUAL = "person", _("优秀个人")
    CRAFTSMAN = "craftsman", _("质量工匠")

    @classmethod
    def nominations(cls) -> set[str]:
        """Kinds whose entries are nominations of an organization or a person, not results."""
        return {cls.ORGANIZATION, cls.INDIVIDUAL, cls.CRAFTSMAN}

    @classmethod
    def persons(cls) -> set[str]:
        """Kinds whose nominee is a person (named on the certificate with the organization)."""
        return {cls.INDIVIDUAL, cls.CRAFTSMAN}


class VenueMode(models.TextChoices):
    ONSITE = "onsite", _("现场发表评审")
    WRITTEN = "written", _("书面评审")


class AwardRule(models.TextChoices):
    THRESHOLD = "threshold", _("分数线")
    QUOTA = "quota", _("比例或名额")
    BOTH = "both", _("比例且达分数线")
    TIERS = "tiers", _("分等级")


class QuotaScope(models.TextChoices):
    VENUE = "venue", _("每个分会场")
    CATEGORY = "category", _("整个类别")


class Rounding(models.TextChoices):
    HALF_UP = "half_up", _("四舍五入")
    FLOOR = "floor", _("向下取整")
    CEIL = "ceil", _("向上取整")


class TieRule(models.TextChoices):
    ALL_IN = "all_in", _("并列者全部入选")
    ALL_OUT = "all_out", _("并列者全部不入选")
    TIEBREAK = "tiebreak", _("按指定评分项、再按离散度、再按抽签顺序决出")


class PhaseCombination(models.TextChoices):
    SUM = "sum", _("各阶段得分相加")
    WEIGHTS = "weights", _("各阶段按权重加权")


class PlenaryKind(models.TextChoices):
    OPENING = "opening", _("开幕")
    SPEECH = "speech", _("致辞")
    WORK_REPORT = "work_report", _("工作报告")
    SHOWCASE = "showcase", _("成果展示与点评")
    AWARD = "award", _("表彰")
    ANNOUNCEMENT = "announcement", _("通知宣读")
    CLOSING = "closing", _("讲话与闭幕")
    OTHER = "other", _("其他")
