"""Admin for organizers: score sheets and their items, judges and their seats, recusals.

Entries get their venue here (list filter and column), since venues are assigned in judging.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from events.admin import (
    EventAdmin,
    EventScopedAdmin,
    SameEventForm,
    VenueAdmin,
    event_label,
    scope_to_staff,
)
from events.models import Event, Venue
from judging.models import CheckIn, Judge, PanelSeat, Recusal, ScoreItem, ScoreSheet, Showcase
from judging.scoring.judges import save_judge
from judging.setup.contest_services import check_notice_file
from submissions.admin import SubmissionAdmin
from submissions.models import Submission


class VenueFilter(admin.RelatedOnlyFieldListFilter):
    """Venues of the listed rows, loaded with their categories in one query."""

    def field_choices(self, field, request, model_admin):
        ids = (
            model_admin.get_queryset(request)
            .distinct()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        venues = Venue.objects.filter(pk__in=ids).select_related("category")
        return [(venue.pk, str(venue)) for venue in venues.order_by("event", "number")]


class ScoreItemFormSet(forms.BaseInlineFormSet):
    """Refuses a sheet whose items' maximum points do not add up to the sheet's total."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        points = [
            form.cleaned_data["max_points"]
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("max_points") is not None
        ]
        try:
            self.instance.clean_items(points)
        except ValidationError as error:
            raise ValidationError(
                _("评分表“%(sheet)s”：%(problem)s请调整各评分项的满分。"),
                params={"sheet": self.instance.name, "problem": " ".join(error.messages)},
                code="items_total",
            ) from error


class ScoreItemInline(admin.TabularInline):
    model = ScoreItem
    formset = ScoreItemFormSet
    extra = 0
    min_num = 1
    fields = ["order", "code", "name", "max_points", "step", "criteria"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}
    }


@admin.register(ScoreSheet)
class ScoreSheetAdmin(EventScopedAdmin):
    form = SameEventForm
    list_display = ["name", "event", "category", "topic_type", "phase", "total", "item_count"]
    list_filter = [
        ("event", admin.RelatedOnlyFieldListFilter),
        ("category", admin.RelatedOnlyFieldListFilter),
        "phase",
    ]
    list_select_related = ["event", "category"]
    search_fields = ["name"]
    inlines = [ScoreItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_total=Count("items"))

    @admin.display(description=_("评分项数"), ordering="item_total")
    def item_count(self, obj):
        return obj.item_total

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The formset refused a wrong sum already; this guards the stored result.
        form.instance.validate_items()


class PanelSeatInline(admin.TabularInline):
    model = PanelSeat
    extra = 0
    fields = ["venue", "role"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        venues = Venue.objects.select_related("category", "event")
        field = formset.form.base_fields["venue"]
        field.queryset = (
            venues.filter(event=obj.event) if obj else scope_to_staff(venues, request.user, "event")
        )
        field.label_from_instance = event_label
        return formset


class RecusalInline(admin.TabularInline):
    model = Recusal
    extra = 0
    raw_id_fields = ["submission"]
    fields = ["submission", "source", "reason", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        entries = Submission.objects.all()
        formset.form.base_fields["submission"].queryset = (
            entries.filter(event=obj.event)
            if obj
            else scope_to_staff(entries, request.user, "event")
        )
        return formset


@admin.register(Judge)
class JudgeAdmin(EventScopedAdmin):
    list_display = [
        "code",
        "name",
        "affiliation_name",
        "province",
        "qualification",
        "seat_list",
        "has_account",
    ]
    list_display_links = ["code", "name"]
    list_filter = [
        ("event", admin.RelatedOnlyFieldListFilter),
        ("seats__venue", VenueFilter),
        "seats__role",
        "province",
    ]
    list_select_related = ["event", "user"]
    search_fields = ["code", "name", "affiliation_name", "phone"]
    autocomplete_fields = ["affiliation"]
    inlines = [PanelSeatInline, RecusalInline]
    # No account field: the event creates each judge's own account when the judge is saved.
    fields = [
        "event",
        ("code", "name"),
        "affiliation",
        "affiliation_name",
        ("parent_group", "province"),
        ("qualification", "phone", "email"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("seats__venue")

    @admin.display(description=_("分会场"))
    def seat_list(self, obj):
        return "、".join(
            f"{seat.venue.name}（{seat.get_role_display()}）" for seat in obj.seats.all()
        )

    @admin.display(description=_("账号"), boolean=True)
    def has_account(self, obj):
        return obj.user_id is not None

    def save_model(self, request, obj, form, change):
        save_judge(judge=obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Recusal) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()


class RecusalForm(forms.ModelForm):
    class Meta:
        model = Recusal
        fields = ["judge", "submission", "source", "reason"]

    def clean(self):
        cleaned = super().clean()
        judge, submission = cleaned.get("judge"), cleaned.get("submission")
        if judge and submission and judge.event_id != submission.event_id:
            self.add_error(
                "submission",
                _("成果 %(code)s 不属于评委 %(judge)s 所在的活动。")
                % {"code": submission.code, "judge": judge.code},
            )
        return cleaned


@admin.register(Recusal)
class RecusalAdmin(EventScopedAdmin):
    form = RecusalForm
    event_path = "judge__event"
    list_display = ["judge", "submission", "source", "reason", "created_at"]
    list_filter = ["source"]
    list_select_related = ["judge", "submission"]
    search_fields = ["judge__code", "judge__name", "submission__code", "submission__title"]
    raw_id_fields = ["judge", "submission"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


admin.site.unregister(Submission)


@admin.register(Submission)
class JudgingSubmissionAdmin(SubmissionAdmin):
    list_display = [*SubmissionAdmin.list_display, "venue"]
    list_filter = [
        *SubmissionAdmin.list_filter[:2],
        ("assignment__venue", VenueFilter),
        *SubmissionAdmin.list_filter[2:],
    ]
    list_select_related = [*SubmissionAdmin.list_select_related, "assignment__venue"]

    @admin.display(description=_("分会场"), ordering="assignment__venue__number")
    def venue(self, obj):
        try:
            return obj.assignment.venue.name
        except ObjectDoesNotExist:
            return "—"


class VenuePanelInline(admin.TabularInline):
    """The judges seated at a venue."""

    model = PanelSeat
    extra = 0
    fields = ["judge", "role"]
    verbose_name_plural = _("评审组")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        judges = Judge.objects.select_related("event")
        field = formset.form.base_fields["judge"]
        field.queryset = (
            judges.filter(event=obj.event) if obj else scope_to_staff(judges, request.user, "event")
        )
        field.label_from_instance = event_label
        return formset


class EventNoticeForm(forms.ModelForm):
    """The event's form with its notice file checked by content, as the contest page does."""

    def clean_notice_file(self):
        upload = self.cleaned_data.get("notice_file")
        if upload and "notice_file" in self.changed_data:
            limit = self.cleaned_data.get("upload_max_mb") or self.instance.upload_max_mb
            try:
                check_notice_file(upload, max_bytes=limit * 1024 * 1024)
            except ValidationError as error:
                raise ValidationError(error.message_dict["notice_file"]) from error
        return upload


admin.site.unregister(Event)


@admin.register(Event)
class JudgingEventAdmin(EventAdmin):
    form = EventNoticeForm


admin.site.unregister(Venue)


@admin.register(Venue)
class JudgingVenueAdmin(VenueAdmin):
    inlines = [*VenueAdmin.inlines, VenuePanelInline]


from judging.documents import admin as admin_documents  # noqa: E402, F401  (certificate designs, certificates, jobs)


@admin.register(Showcase)
class ShowcaseAdmin(EventScopedAdmin):
    list_display = ["order", "submission", "commenting_judge", "event"]
    list_display_links = ["submission"]
    list_editable = ["order"]
    list_filter = [("event", admin.RelatedOnlyFieldListFilter)]
    raw_id_fields = ["submission"]
    fields = ["event", "submission", "order", "reason", "commenting_judge", "judges_comment"]


@admin.register(CheckIn)
class CheckInAdmin(EventScopedAdmin):
    list_display = ["delegate", "session", "door", "at", "event"]
    list_filter = [("event", admin.RelatedOnlyFieldListFilter), "session"]
    search_fields = ["delegate__name", "delegate__organization"]
    raw_id_fields = ["delegate"]
    readonly_fields = ["event", "delegate", "session", "venue", "at", "checked_by", "door"]
