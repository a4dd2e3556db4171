"""Judges, their seats on venue panels, and recusals."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event, Venue
from judging.enums import RecusalSource, SeatRole
from submissions.models import Enterprise, Membership, Submission


def judge_account_problem(*, judge_pk: int | None, user) -> str | None:
    """Return why an account cannot be a judge's own (None when it can).

    A judge signs in by a printed card, so the account must be one the event created for this
    judge alone: never a staff or superuser account, an enterprise user's account, or the
    account of another judge (of this or any other event).
    """
    if user.is_superuser or user.is_staff:
        return str(_("评委账号不能是管理员或组织者的账号。"))
    if Membership.objects.filter(user=user).exists():
        return str(_("评委账号不能是企业用户的账号。"))
    if Judge.objects.filter(user=user).exclude(pk=judge_pk).exists():
        return str(_("此账号已属于另一位评委；每位评委使用活动为其创建的账号。"))
    return None


class Judge(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="judges", verbose_name=_("活动")
    )
    code = models.CharField(_("评委编号"), max_length=10, help_text=_("如 J01"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="judge_roles",
        null=True,
        blank=True,
        verbose_name=_("账号"),
    )
    name = models.CharField(_("姓名"), max_length=60)
    affiliation = models.ForeignKey(
        Enterprise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="judges",
        verbose_name=_("所在企业"),
    )
    affiliation_name = models.CharField(_("工作单位"), max_length=200, blank=True)
    parent_group = models.CharField(_("所属集团"), max_length=200, blank=True)
    province = models.CharField(_("省份"), max_length=20, blank=True)
    qualification = models.CharField(
        _("资格"), max_length=100, blank=True, help_text=_("如 中机质协诊断师")
    )
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    signin_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    signin_token_expires = models.DateTimeField(null=True, blank=True, editable=False)
    signin_token_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("评委")
        verbose_name_plural = _("评委")
        ordering = ["event", "code"]
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="judge_code_unique_per_event"),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(user__isnull=False),
                name="judge_account_owned_by_one_judge",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        super().clean()
        if self.user_id is not None:
            problem = judge_account_problem(judge_pk=self.pk, user=self.user)
            if problem:
                raise ValidationError({"user": problem})


class PanelSeat(models.Model):
    judge = models.ForeignKey(
        Judge, on_delete=models.CASCADE, related_name="seats", verbose_name=_("评委")
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="seats", verbose_name=_("分会场")
    )
    role = models.CharField(
        _("角色"), max_length=10, choices=SeatRole.choices, default=SeatRole.MEMBER
    )

    class Meta:
        verbose_name = _("评审席位")
        verbose_name_plural = _("评审席位")
        ordering = ["venue", "-role", "judge__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "venue"], name="seat_unique_per_judge_and_venue"
            ),
            models.UniqueConstraint(
                fields=["venue"], condition=models.Q(role="chair"), name="one_chair_per_venue"
            ),
        ]

    def __str__(self):
        return f"{self.venue.name} {self.judge}"

    def clean(self):
        super().clean()
        if self.judge_id and self.venue_id and self.judge.event_id != self.venue.event_id:
            raise ValidationError(
                {"venue": _("分会场“%(venue)s”不属于评委所在的活动。") % {"venue": self.venue}}
            )


class Recusal(models.Model):
    judge = models.ForeignKey(
        Judge, on_delete=models.CASCADE, related_name="recusals", verbose_name=_("评委")
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="recusals", verbose_name=_("成果")
    )
    source = models.CharField(_("原因类型"), max_length=12, choices=RecusalSource.choices)
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回避")
        verbose_name_plural = _("回避")
        constraints = [
            models.UniqueConstraint(fields=["judge", "submission"], name="recusal_unique"),
            models.CheckConstraint(
                condition=~models.Q(source="manual") | ~models.Q(reason=""),
                name="manual_recusal_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.judge.code} ⟂ {self.submission.code}"

    def clean(self):
        super().clean()
        if self.judge_id and self.submission_id and self.judge.event_id != self.submission.event_id:
            raise ValidationError({"submission": _("回避的成果与评委不属于同一活动。")})


class ReviewAssignment(models.Model):
    """A dossier given to one expert of a written-review panel (书面评审): only these are scored.

    At an on-site venue every seated judge scores every entry; in a written review each
    nomination is read by the experts it is assigned to (balanced, recused, at least the
    category's readers_per_nomination). The written venue is named here, not by the entry's
    VenueAssignment, so that a nomination read in writing may also be placed at an on-site
    venue for a defence or skills test (a second phase).
    """

    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("书面评审组"),
    )
    judge = models.ForeignKey(
        Judge, on_delete=models.CASCADE, related_name="review_assignments", verbose_name=_("专家")
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="review_assignments",
        verbose_name=_("推荐材料"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("分配人"),
    )
    created_at = models.DateTimeField(_("分配时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("书面评审分配")
        verbose_name_plural = _("书面评审分配")
        ordering = ["submission", "judge__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "submission"], name="review_assignment_unique"
            ),
        ]

    def __str__(self):
        return f"{self.judge.code} → {self.submission.code}"

    def clean(self):
        super().clean()
        if self.judge_id and self.submission_id and self.judge.event_id != self.submission.event_id:
            raise ValidationError({"submission": _("推荐材料与专家不属于同一活动。")})
        if self.venue_id and self.submission_id:
            if not self.venue.is_written:
                raise ValidationError({"venue": _("书面评审分配只能属于书面评审组。")})
            if self.venue.category_id != self.submission.category_id:
                raise ValidationError({"venue": _("书面评审组与推荐材料不属于同一类别。")})
