"""Reads of enterprises and entries, always scoped to an event and a user."""

from collections import Counter
from collections.abc import Iterable, Iterator

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from events.enums import CategoryKind
from events.models import Category, Event

from . import rules
from .enums import Status
from .excel_template import EntryRow, MemberRow
from .models import Attachment, Member, Submission
from .nominations_excel import NominationRow


def enterprise_submissions(*, user) -> QuerySet[Submission]:
    """Return the entries of the user's enterprise (none for a user without one)."""
    enterprise_id = rules.enterprise_id_of(user)
    if enterprise_id is None:
        return Submission.objects.none()
    # Mirrors rules.owner_id_of: a nomination belongs to whoever nominated in the portal.
    return (
        Submission.objects.filter(
            Q(submitter_id=enterprise_id) | Q(submitter__isnull=True, enterprise_id=enterprise_id)
        )
        .select_related("event", "category")
        .order_by("-event__start_date", "category__order", "code")
    )


def enterprise_submission(*, user, pk: int) -> Submission:
    """Return one entry of the user's enterprise; another enterprise's id raises Http404."""
    try:
        return (
            enterprise_submissions(user=user).select_related("enterprise", "recommender").get(pk=pk)
        )
    except Submission.DoesNotExist:
        raise Http404 from None


def enterprise_attachment(*, user, submission_pk: int, pk: int) -> Attachment:
    submission = enterprise_submission(user=user, pk=submission_pk)
    try:
        return submission.attachments.get(pk=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None


def organizer_event(*, user, slug: str) -> Event:
    """Return the event if the user organizes it; otherwise raise Http404."""
    event = Event.objects.filter(slug=slug).first()
    if event is None or not rules.is_organizer(user, event):
        raise Http404
    return event


def review_queryset(
    *, event: Event, status: str = "", category: str = "", query: str = ""
) -> QuerySet[Submission]:
    """Return the event's entries for the formal review list, filtered."""
    entries = Submission.objects.filter(event=event).select_related(
        "category", "enterprise", "recommender"
    )
    if status:
        entries = entries.filter(status=status)
    if category:
        entries = entries.filter(category__kind=category)
    if query:
        entries = entries.filter(
            Q(code__icontains=query)
            | Q(title__icontains=query)
            | Q(group_name__icontains=query)
            | Q(enterprise__name__icontains=query)
        )
    return entries.annotate(member_count=Count("members", distinct=True)).order_by(
        "category__order", "code"
    )


def status_counts(*, event: Event) -> list[tuple[str, str, int]]:
    """Return (status, label, count) for every status, in the order of Status."""
    counts = dict(
        Submission.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in Status.choices]


def event_entry_rows(*, event: Event) -> Iterator[EntryRow]:
    """Yield the event's entries as workbook rows, in category and code order."""
    entries = (
        Submission.objects.filter(event=event)
        .exclude(category__kind__in=CategoryKind.nominations())
        .select_related("category", "enterprise", "recommender")
        .prefetch_related(Prefetch("members", queryset=Member.objects.order_by("order", "pk")))
        .order_by("category__order", "code")
    )
    for entry in entries.iterator(chunk_size=1000):
        yield EntryRow(
            category=entry.category.kind,
            enterprise=entry.enterprise.name,
            credit_code=entry.enterprise.credit_code or "",
            recommender=entry.recommender.name if entry.recommender else "",
            group=entry.group_name,
            title=entry.title,
            topic_type=entry.topic_type,
            group_reg_no=entry.group_reg_no,
            topic_reg_no=entry.topic_reg_no,
            start=entry.activity_start,
            end=entry.activity_end,
            members=tuple(MemberRow(m.name, m.role, m.post) for m in entry.members.all()),
            contact=entry.contact_name,
            phone=entry.contact_phone,
            email=entry.contact_email,
        )


def event_nomination_rows(*, event: Event) -> Iterator[NominationRow]:
    """Yield the event's nominations as workbook rows, in category and code order."""
    nominations = (
        Submission.objects.filter(event=event, category__kind__in=CategoryKind.nominations())
        .select_related("category", "enterprise", "recommender")
        .order_by("category__order", "code")
    )
    for nomination in nominations.iterator(chunk_size=1000):
        yield NominationRow(
            category=nomination.category.kind,
            organization=nomination.enterprise.name,
            summary=nomination.achievements,
            name=nomination.nominee_name,
            gender=nomination.nominee_gender,
            position=nomination.nominee_position,
            years=nomination.nominee_years,
            trade=nomination.nominee_trade,
            skill_level=nomination.nominee_skill_level,
            recommender=nomination.recommender.name if nomination.recommender else "",
            contact=nomination.contact_name,
            phone=nomination.contact_phone,
        )


# Nominations that count against a category's limit: all but the withdrawn and the refused.
NOT_COUNTED = (Status.WITHDRAWN, Status.REJECTED)


def nominator_of(
    *, recommender_id: int | None, submitter_id: int | None, enterprise_id: int
) -> tuple[str, int]:
    """Return the body a nomination counts against: its recommender, else who nominated."""
    if recommender_id:
        return ("body", recommender_id)
    return ("enterprise", submitter_id or enterprise_id)


def nomination_counts(
    *, category: Category, exclude: Iterable[int] = ()
) -> Counter[tuple[str, int]]:
    """Count the category's nominations per nominating body (withdrawn and refused aside)."""
    rows = (
        Submission.objects.filter(category=category)
        .exclude(status__in=NOT_COUNTED)
        .exclude(pk__in=list(exclude))
        .values_list("recommender_id", "submitter_id", "enterprise_id")
    )
    return Counter(
        nominator_of(recommender_id=body, submitter_id=submitter, enterprise_id=enterprise)
        for body, submitter, enterprise in rows
    )
