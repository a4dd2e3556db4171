"""Admin for organizers: the event with its categories, venues, plenary and report sections."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .enums import CategoryKind
from .models import AuditLog, Category, Event, PlenaryItem, ReportSection, Venue


def scope_to_staff(queryset: QuerySet, user, event_path: str) -> QuerySet:
    """Return the rows of the events the user organizes; a superuser sees every row."""
    if user.is_superuser:
        return queryset
    lookup = f"{event_path}__staff" if event_path else "staff"
    return queryset.filter(**{lookup: user})


def event_path_of(model) -> str | None:
    """Return the lookup from a model to its event ("" for Event itself), or None if it has none."""
    if model is Event:
        return ""
    names = {f.name for f in model._meta.get_fields()}
    if "event" in names:
        return "event"
    # Rows that reach their event through their owner (e.g. a member through its entry).
    for owner in ("submission", "judge", "venue", "category"):
        if owner in names:
            path = event_path_of(model._meta.get_field(owner).related_model)
            if path is not None:
                return f"{owner}__{path}" if path else owner
    return None


def event_label(obj) -> str:
    """Return a choice's label with its event's short name, so two events' rows never look alike."""
    event = getattr(obj, "event", None)
    return f"{obj} · {event.short_name or event.name}" if event is not None else str(obj)


def label_with_event(formfield, path: str | None):
    """Label a choice field's rows with their event (loaded in the same query)."""
    if formfield is not None and path == "event" and hasattr(formfield, "queryset"):
        formfield.queryset = formfield.queryset.select_related("event")
        formfield.label_from_instance = event_label
    return formfield


class EventScopedAdmin(admin.ModelAdmin):
    """Shows organizers who are not superusers only their own events' rows and choices."""

    event_path = "event"

    def get_queryset(self, request):
        return scope_to_staff(super().get_queryset(request), request.user, self.event_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        path = event_path_of(db_field.related_model)
        related_admin = self.admin_site._registry.get(db_field.related_model)
        if "queryset" in kwargs:
            pass
        elif path is not None:
            kwargs["queryset"] = scope_to_staff(
                db_field.related_model._default_manager.all(), request.user, path
            )
        elif related_admin is not None:
            # Shared rows (enterprises) offered as the related admin shows them to this user.
            kwargs["queryset"] = related_admin.get_queryset(request)
        return label_with_event(super().formfield_for_foreignkey(db_field, request, **kwargs), path)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        path = event_path_of(db_field.related_model)
        if "queryset" not in kwargs and path is not None:
            kwargs["queryset"] = scope_to_staff(
                db_field.related_model._default_manager.all(), request.user, path
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class SameEventForm(forms.ModelForm):
    """Refuses related rows (e.g. a category) that belong to another event than the row's own."""

    same_event_fields: tuple[str, ...] = ("category",)

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("event")
        for name in self.same_event_fields:
            related = cleaned.get(name)
            if event and related is not None and related.event_id != event.pk:
                self.add_error(
                    name,
                    _("“%(related)s”不属于活动“%(event)s”。")
                    % {"related": related, "event": event},
                )
        return cleaned


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0
    show_change_link = True
    fields = [
        "order",
        "kind",
        "name",
        "code_prefix",
        "honour",
        "slot_minutes",
        "qa_minutes",
        "award_rule",
        "quota_count",
        "quota_percent",
        "showcase_count",
    ]


class VenueInlineForm(forms.ModelForm):
    """A venue row; on a new event it names its category by kind, among the rows added with it."""

    category_kind = forms.ChoiceField(
        label=_("类别"), choices=[("", "---------"), *CategoryKind.choices], required=False
    )

    class Meta:
        model = Venue
        fields = ["number", "name", "category", "room", "day"]

    def save(self, commit=True):
        kind = self.cleaned_data.get("category_kind")
        if kind and not self.instance.category_id:
            # The event's categories were saved just before (the category inline comes first).
            self.instance.category = (
                Category.objects.filter(event=self.instance.event, kind=kind)
                .order_by("order", "pk")
                .first()
            )
        return super().save(commit)


class VenueInlineFormSet(forms.BaseInlineFormSet):
    """On a new event, checks each venue's category kind against the categories added with it."""

    category_formset = None

    def clean(self):
        super().clean()
        if self.instance.pk or self.category_formset is None:
            return
        kinds = {
            form.cleaned_data.get("kind")
            for form in self.category_formset.forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        for form in self.forms:
            if not form.has_changed() or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            kind = form.cleaned_data.get("category_kind")
            if not kind:
                form.add_error("category_kind", _("请选择分会场的类别。"))
            elif kind not in kinds:
                form.add_error(
                    "category_kind",
                    _("上方“类别”中没有此类别，请一并添加（如 QC成果）。"),
                )


class VenueInline(admin.TabularInline):
    model = Venue
    form = VenueInlineForm
    formset = VenueInlineFormSet
    extra = 0
    show_change_link = True
    fields = [
        "number",
        "name",
        "category",
        "room",
        "day",
        "morning_start",
        "morning_end",
        "afternoon_start",
        "afternoon_end",
    ]

    def get_fields(self, request, obj=None):
        # A new event has no saved categories yet: its venues pick a kind of the rows added.
        if obj is None:
            return ["category_kind" if name == "category" else name for name in self.fields]
        return self.fields

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if "category" in formset.form.base_fields:
            formset.form.base_fields["category"].queryset = Category.objects.filter(event=obj)
        return formset


class PlenaryItemInline(admin.StackedInline):
    model = PlenaryItem
    extra = 0
    classes = ["collapse"]
    fields = [
        ("order", "kind", "starts_at"),
        "title",
        ("chair", "speaker", "speaker_title"),
        "summary",
    ]


class ReportSectionInline(admin.StackedInline):
    model = ReportSection
    extra = 0
    classes = ["collapse"]
    fields = ["order", "title", "body"]


@admin.register(Event)
class EventAdmin(EventScopedAdmin):
    event_path = ""
    list_display = [
        "name",
        "slug",
        "city",
        "start_date",
        "end_date",
        "category_count",
        "venue_count",
    ]
    list_filter = ["city"]
    search_fields = ["name", "slug", "short_name"]
    date_hierarchy = "start_date"
    filter_horizontal = ["staff"]
    inlines = [CategoryInline, VenueInline, PlenaryItemInline, ReportSectionInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "number", "theme", "is_public"]}),
        (
            _("时间地点"),
            {"fields": [("start_date", "end_date", "judging_date"), "city", "venue_name"]},
        ),
        (_("主办"), {"fields": ["organizers", "co_organizers", "staff"]}),
        (_("申报"), {"fields": [("submission_opens", "submission_closes"), "upload_max_mb"]}),
        (_("活动通知"), {"fields": ["announced_at", "notice", "notice_file"]}),
        (
            _("评审与回避"),
            {
                "fields": [
                    "recuse_parent_group",
                    "recuse_province",
                    "recuse_recommender",
                    "outlier_mad_multiple",
                ]
            },
        ),
        (
            _("公示与证书"),
            {"fields": ["show_scores_publicly", "notice_days", "certificate_number_pattern"]},
        ),
        (_("统计"), {"fields": [("attendance", "attending_organizations")]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                category_total=Count("categories", distinct=True),
                venue_total=Count("venues", distinct=True),
            )
        )

    @admin.display(description=_("类别数"), ordering="category_total")
    def category_count(self, obj):
        return obj.category_total

    @admin.display(description=_("分会场数"), ordering="venue_total")
    def venue_count(self, obj):
        return obj.venue_total

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        categories = next((f for f in formsets if f.model is Category), None)
        for formset in formsets:
            if isinstance(formset, VenueInlineFormSet):
                formset.category_formset = categories
        return formsets, inline_instances

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "staff":
            staff = get_user_model().objects.filter(is_staff=True)
            if not request.user.is_superuser:
                # Colleagues of the organizer's own events only, never a superuser.
                staff = staff.filter(
                    Q(pk=request.user.pk) | Q(organized_events__staff=request.user),
                    is_superuser=False,
                ).distinct()
            kwargs["queryset"] = staff
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not request.user.is_superuser:
            # An organizer who creates an event keeps access to it.
            form.instance.staff.add(request.user)


@admin.register(Category)
class CategoryAdmin(EventScopedAdmin):
    list_display = [
        "name",
        "event",
        "kind",
        "code_prefix",
        "slot_minutes",
        "qa_minutes",
        "award_rule",
        "quota_count",
    ]
    list_filter = [("event", admin.RelatedOnlyFieldListFilter), "kind", "award_rule"]
    list_select_related = ["event"]
    search_fields = ["name", "code_prefix", "honour"]
    fieldsets = [
        (None, {"fields": ["event", "kind", "name", "code_prefix", "order"]}),
        (_("荣誉"), {"fields": ["honour", "honour_prefix", "showcase_count"]}),
        (_("发表"), {"fields": [("slot_minutes", "qa_minutes"), ("min_members", "max_members")]}),
        (
            _("计分"),
            {
                "fields": [
                    "trim_min_cards",
                    "min_valid_cards",
                    "phase_combination",
                    "readers_per_nomination",
                ]
            },
        ),
        (
            _("评选规则"),
            {
                "fields": [
                    "award_rule",
                    "threshold",
                    ("quota_percent", "quota_count"),
                    ("quota_scope", "quota_rounding"),
                    "tie_rule",
                    "tiebreak_item_code",
                    "tiers",
                ]
            },
        ),
    ]


@admin.register(Venue)
class VenueAdmin(EventScopedAdmin):
    form = SameEventForm
    list_display = [
        "name",
        "event",
        "category",
        "mode",
        "room",
        "day",
        "morning_start",
        "afternoon_end",
    ]
    list_filter = [
        ("event", admin.RelatedOnlyFieldListFilter),
        ("category", admin.RelatedOnlyFieldListFilter),
        "mode",
        "day",
    ]
    list_select_related = ["event", "category"]
    search_fields = ["name", "room"]
    ordering = ["event", "number"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            kwargs["queryset"] = scope_to_staff(
                Category.objects.select_related("event"), request.user, "event"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AuditLog)
class AuditLogAdmin(EventScopedAdmin):
    """The organizers' actions, read only."""

    list_display = ["created_at", "event", "actor", "action", "target", "ip_address"]
    list_filter = [("event", admin.RelatedOnlyFieldListFilter), "action"]
    list_select_related = ["event", "actor"]
    search_fields = ["action", "target", "actor__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
