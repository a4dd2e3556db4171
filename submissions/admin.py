"""Admin for organizers: enterprises, recommending bodies and entries with their formal review."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.admin import EventScopedAdmin, SameEventForm

from .enums import Status
from .models import (
    Attachment,
    Delegate,
    Enterprise,
    Member,
    Membership,
    RecommendingBody,
    ReviewLog,
    Submission,
)
from .services import record_review_verdict


@admin.register(RecommendingBody)
class RecommendingBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "contact"]
    list_filter = ["province"]
    search_fields = ["name"]


class MembershipInline(admin.TabularInline):
    """The enterprise's own accounts; users join through the portal, never picked here."""

    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "is_admin"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        users = get_user_model().objects.filter(is_staff=False, is_superuser=False)
        formset.form.base_fields["user"].queryset = (
            users.filter(membership__enterprise=obj) if obj else users.none()
        )
        return formset


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "credit_code", "province", "industry", "parent_group"]
    list_filter = ["province", "industry"]
    search_fields = ["name", "short_name", "credit_code", "parent_group"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # Enterprises entering the organizer's events, and those not entering any event yet.
        return queryset.filter(
            Q(pk__in=Submission.objects.filter(event__staff=request.user).values("enterprise"))
            | ~Q(pk__in=Submission.objects.values("enterprise"))
        )


class ProvinceFilter(admin.SimpleListFilter):
    title = gettext_lazy("省份")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        provinces = (
            model_admin.get_queryset(request)
            .order_by("enterprise__province")
            .values_list("enterprise__province", flat=True)
            .distinct()
        )
        return [(p, p) for p in provinces if p]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(enterprise__province=self.value())
        return queryset


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ["order", "name", "role", "post", "title", "gender", "education"]


class AttachmentInline(admin.TabularInline):
    """Files arrive through the enterprise portal; here they are listed and can be removed."""

    model = Attachment
    extra = 0
    fields = ["kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReviewLogInline(admin.TabularInline):
    model = ReviewLog
    extra = 0
    fields = ["created_at", "actor", "from_status", "to_status", "message"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(EventScopedAdmin):
    form = SameEventForm
    list_display = [
        "code",
        "title",
        "group_name",
        "enterprise",
        "category",
        "topic_type",
        "status",
    ]
    list_display_links = ["code", "title"]
    list_filter = [
        ("event", admin.RelatedOnlyFieldListFilter),
        ("category", admin.RelatedOnlyFieldListFilter),
        "status",
        "topic_type",
        "presentation_mode",
        ProvinceFilter,
    ]
    list_select_related = ["category", "enterprise"]
    list_per_page = 50
    search_fields = [
        "code",
        "title",
        "group_name",
        "enterprise__name",
        "enterprise__short_name",
        "enterprise__credit_code",
        "nominee_name",
    ]
    autocomplete_fields = ["enterprise", "submitter", "recommender"]
    readonly_fields = ["submitted_at", "created_by", "created_at", "updated_at"]
    inlines = [MemberInline, AttachmentInline, ReviewLogInline]
    actions = ["admit_selected", "defer_selected", "reject_selected"]
    fieldsets = [
        (None, {"fields": ["event", "category", "code", "status", "presentation_mode"]}),
        (
            gettext_lazy("成果"),
            {
                "fields": [
                    "enterprise",
                    "completing_units",
                    "recommender",
                    "group_name",
                    "title",
                    "topic_type",
                    ("group_reg_no", "topic_reg_no"),
                    ("activity_start", "activity_end"),
                    ("meetings", "attendance_rate", "benefit_wan"),
                ]
            },
        ),
        (
            gettext_lazy("申报材料"),
            {
                "classes": ["collapse"],
                "fields": [
                    "group_intro",
                    "topic_reason",
                    "activity_summary",
                    "main_results",
                    "recommender_opinion",
                ],
            },
        ),
        (gettext_lazy("联系人"), {"fields": [("contact_name", "contact_phone", "contact_email")]}),
        (
            gettext_lazy("形式审查"),
            {"fields": ["review_message", "fix_deadline", "is_calibration"]},
        ),
        (
            gettext_lazy("记录"),
            {"classes": ["collapse"], "fields": readonly_fields},
        ),
    ]

    nominee_fields = [
        "submitter",
        ("nominee_name", "nominee_gender"),
        ("nominee_position", "nominee_years"),
        ("nominee_trade", "nominee_skill_level"),
        "achievements",
    ]
    nomination_fieldsets = [
        (None, {"fields": ["event", "category", "code", "status"]}),
        (
            gettext_lazy("被推荐对象"),
            {"fields": ["enterprise", "recommender", *nominee_fields, ("title", "group_name")]},
        ),
        (gettext_lazy("联系人"), {"fields": [("contact_name", "contact_phone", "contact_email")]}),
        (gettext_lazy("形式审查"), {"fields": ["review_message", "fix_deadline"]}),
        (gettext_lazy("记录"), {"classes": ["collapse"], "fields": readonly_fields}),
    ]

    def get_fieldsets(self, request, obj=None):
        """A nomination shows its nominee instead of a group's activity and members.

        A new row may be either, so the add form has the nominee's fields too, folded.
        """
        if obj is not None and obj.category.is_nomination:
            return self.nomination_fieldsets
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            extra = (
                gettext_lazy("被推荐对象"),
                {"classes": ["collapse"], "fields": self.nominee_fields},
            )
            fieldsets = [*fieldsets[:3], extra, *fieldsets[3:]]
        return fieldsets

    def get_inlines(self, request, obj=None):
        if obj is not None and obj.category.is_nomination:
            return [AttachmentInline, ReviewLogInline]
        return super().get_inlines(request, obj)

    def _verdict(self, request, queryset, to_status, *, needs_reason=False):
        verdict = Status(to_status).label
        reason = request.POST.get("reason", "")
        if needs_reason and not (request.POST.get("post") and reason.strip()):
            return TemplateResponse(
                request,
                "admin/submissions/submission/verdict_reason.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("填写“%(verdict)s”理由") % {"verdict": verdict},
                    "opts": self.model._meta,
                    "queryset": queryset.select_related("enterprise"),
                    "verdict": verdict,
                    "action": request.POST.get("action", ""),
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                    "reason": reason,
                    "error": _("请填写理由。") if request.POST.get("post") else "",
                },
            )
        try:
            changed = record_review_verdict(
                submissions=queryset, to_status=to_status, actor=request.user, message=reason
            )
        except ValidationError as error:
            self.message_user(request, "；".join(error.messages), messages.ERROR)
            return None
        self.message_user(
            request,
            _("%(count)d 项成果已标记为“%(verdict)s”。") % {"count": changed, "verdict": verdict},
            messages.SUCCESS,
        )
        return None

    @admin.action(description=gettext_lazy("形式审查：参评"), permissions=["change"])
    def admit_selected(self, request, queryset):
        return self._verdict(request, queryset, Status.ADMITTED)

    @admin.action(description=gettext_lazy("形式审查：缓评（填写理由）"), permissions=["change"])
    def defer_selected(self, request, queryset):
        return self._verdict(request, queryset, Status.DEFERRED, needs_reason=True)

    @admin.action(description=gettext_lazy("形式审查：不评（填写理由）"), permissions=["change"])
    def reject_selected(self, request, queryset):
        return self._verdict(request, queryset, Status.REJECTED, needs_reason=True)


@admin.register(Delegate)
class DelegateAdmin(EventScopedAdmin):
    list_display = ["name", "organization", "kind", "mobile", "lodging", "revoked", "event"]
    list_filter = [
        ("event", admin.RelatedOnlyFieldListFilter),
        "kind",
        "organization_kind",
        "lodging",
        "revoked",
    ]
    search_fields = ["name", "organization", "mobile", "email"]
    raw_id_fields = ["enterprise", "member"]
    filter_horizontal = ["venues"]
    readonly_fields = ["checkin_code", "registered_by", "created_at"]
