"""Set-up writes: a new event from another event's configuration (clone_event).

A clone copies what an organizer configures once and reuses every year: the event's
settings, categories with their award rules, score sheets with their items, venues (dates
shifted), certificate designs (their images copied to files of their own) and the plenary
programme's skeleton. It never copies entries, judges or their accounts, scores, results,
certificates or jobs. Everything happens in one transaction: a failure leaves nothing.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from events.models import Category, Event, PlenaryItem, Venue
from events.services import record_audit
from judging.models import CertificateDesign, ScoreItem, ScoreSheet

# Event fields a clone takes over as they are (the rest are shifted, renamed or left empty).
EVENT_FIELDS = (
    "theme",
    "city",
    "venue_name",
    "organizers",
    "co_organizers",
    "recuse_parent_group",
    "recuse_province",
    "recuse_recommender",
    "outlier_mad_multiple",
    "show_scores_publicly",
    "notice_days",
    "upload_max_mb",
    "certificate_number_pattern",
)
SLUG_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")


def next_year(day: dt.date) -> dt.date:
    """Return the same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def next_name(source: Event, *, year: int, name: str | None = None) -> str:
    """Return the source's name (or another of its names, such as the short name) with its
    edition number and year moved on."""
    name = source.name if name is None else name
    if source.number:
        name = re.sub(rf"第{source.number}(届|次)", rf"第{source.number + 1}\g<1>", name)
    return name.replace(str(source.year), str(year))


def _shift(value, delta: dt.timedelta):
    return value + delta if value is not None else None


def _copy_image(field_file, target, field_name: str) -> None:
    """Copy an image file so the clone never shares (nor deletes) the source's file."""
    if not field_file:
        return
    try:
        with field_file.open("rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ValidationError(
            _("证书样式“%(design)s”的%(field)s文件缺失（%(name)s），请在管理后台重新上传后再复制。")
            % {
                "design": field_file.instance,
                "field": field_file.field.verbose_name,
                "name": field_file.name,
            }
        ) from exc
    getattr(target, field_name).save(
        field_file.name.rsplit("/", 1)[-1], ContentFile(data), save=False
    )


@transaction.atomic
def clone_event(
    *,
    source: Event,
    slug: str,
    name: str = "",
    start: dt.date | None = None,
    user=None,
    request=None,
) -> Event:
    """Create a new event from the configuration of ``source``; return it.

    Dates move by the distance between the two start dates (one year when ``start`` is not
    given). The new event's organizers are the user who cloned it and the source's.
    """
    slug = (slug or "").strip()
    if not SLUG_PATTERN.match(slug):
        raise ValidationError(
            _("新活动标识“%(slug)s”只能包含字母、数字、连字符和下划线。") % {"slug": slug}
        )
    if Event.objects.filter(slug=slug).exists():
        raise ValidationError(_("活动标识“%(slug)s”已被使用，请换一个。") % {"slug": slug})
    start = start or next_year(source.start_date)
    delta = start - source.start_date
    event = Event(
        slug=slug,
        number=source.number + 1 if source.number else None,
        name=(name or "").strip() or next_name(source, year=start.year),
        short_name=next_name(source, year=start.year, name=source.short_name),
        start_date=start,
        end_date=source.end_date + delta,
        submission_opens=_shift(source.submission_opens, delta),
        submission_closes=_shift(source.submission_closes, delta),
        judging_date=_shift(source.judging_date, delta),
        is_public=False,  # shown on the home page once the organizer says it is ready
        **{field: getattr(source, field) for field in EVENT_FIELDS},
    )
    event.save()
    staff = list(source.staff.all())
    if user is not None and getattr(user, "is_authenticated", False) and user not in staff:
        staff.append(user)
    event.staff.set(staff)

    categories = {}
    for category in Category.objects.filter(event=source).order_by("pk"):
        old_pk = category.pk
        category.pk, category.id, category.event = None, None, event
        category.save()
        categories[old_pk] = category

    for sheet in ScoreSheet.objects.filter(event=source).prefetch_related("items").order_by("pk"):
        items = list(sheet.items.all())
        sheet.pk, sheet.id = None, None
        sheet.event, sheet.category = event, categories[sheet.category_id]
        sheet.save()
        for item in items:
            item.pk, item.id, item.sheet = None, None, sheet
        ScoreItem.objects.bulk_create(items)

    venues = []
    for venue in Venue.objects.filter(event=source).order_by("number"):
        venue.pk, venue.id, venue.event = None, None, event
        venue.category = categories[venue.category_id]
        venue.day = venue.day + delta
        venues.append(venue)
    Venue.objects.bulk_create(venues)

    for design in CertificateDesign.objects.filter(event=source).order_by("pk"):
        seal, background = design.seal, design.background
        copy = CertificateDesign(
            event=event,
            category=categories.get(design.category_id),
            audience=design.audience,
            title=design.title,
            wording=design.wording,
            issuing_body=design.issuing_body,
            issue_date=design.issue_date + delta,
        )
        _copy_image(seal, copy, "seal")
        _copy_image(background, copy, "background")
        copy.save()

    PlenaryItem.objects.bulk_create(
        PlenaryItem(
            event=event,
            order=item.order,
            kind=item.kind,
            starts_at=_shift(item.starts_at, delta),
            title=item.title,
        )
        for item in PlenaryItem.objects.filter(event=source).order_by("order", "pk")
    )
    record_audit(
        actor=user,
        action="clone_event",
        event=event,
        target=event.slug,
        details={"source": source.slug, "days_shifted": delta.days},
        request=request,
    )
    return event
