"""Every admin of our apps, as an organizer of another event: nothing outside their events.

The admins are walked from admin.site._registry, so a new admin is covered without a change
here. For each: the changelist, the add and change forms' choice lists (inlines included),
raw-id look-ups (popup changelists) and autocomplete answer only rows of the organizer's
events; another event's row cannot be opened; a POST naming another event's row or another
user's account is refused.
"""

import datetime as dt

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from events.models import AuditLog, Event
from judging.models import Certificate, CertificateDesign, Judge, Recusal, RenderJob
from submissions.models import Enterprise, Membership
from tests.admin_setup import event_rows, organizer
from tests.factories import EnterpriseFactory, MemberFactory, UserFactory

OUR_APPS = ("events", "submissions", "judging")
OWNERS = ("submission", "judge", "venue", "category", "sheet", "run", "scorecard")

pytestmark = pytest.mark.django_db


def events_of(obj) -> set | None:
    """Return the ids of the events a row belongs to; None for shared reference rows."""
    if isinstance(obj, Event):
        return {obj.pk}
    if isinstance(obj, get_user_model()):
        events = set(Judge.objects.filter(user=obj).values_list("event_id", flat=True))
        membership = Membership.objects.filter(user=obj).first()
        if membership is not None:
            events |= events_of(membership.enterprise) or set()
        events |= set(obj.organized_events.values_list("pk", flat=True))
        if obj.is_superuser:
            events.add("superuser")
        return events
    if isinstance(obj, Enterprise):
        return set(obj.submissions.values_list("event_id", flat=True)) or None
    if getattr(obj, "event_id", None) is not None:
        return {obj.event_id}
    for owner in OWNERS:
        related = getattr(obj, owner, None)
        if related is not None and not isinstance(related, str):
            return events_of(related)
    return None


def outside(objects, allowed: set) -> list:
    return [obj for obj in objects if (events_of(obj) or set()) - allowed]


def choice_fields(form):
    pk_name = form._meta.model._meta.pk.name
    for name, field in form.fields.items():
        # An inline row's own hidden id is looked up among the parent's rows, not offered.
        if isinstance(field, forms.ModelChoiceField) and name != pk_name:
            yield name, field


def forms_of(response):
    yield response.context["adminform"].form
    for inline in response.context["inline_admin_formsets"]:
        yield from inline.formset.forms
        yield inline.formset.empty_form


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    mine, theirs = event_rows("a"), event_rows("b")
    UserFactory(username="root", is_staff=True, is_superuser=True)
    other_org = organizer("organizer-b")
    theirs.event.staff.add(other_org)
    enterprise_user = UserFactory(username="enterprise-b-user")
    Membership.objects.create(user=enterprise_user, enterprise=theirs.entry.enterprise)
    EnterpriseFactory(name="未参加任何活动的企业")
    MemberFactory(submission=theirs.entry)
    Recusal.objects.create(judge=theirs.judge, submission=theirs.entry, source="enterprise")
    CertificateDesign.objects.create(
        event=theirs.event, audience="group", issuing_body="中机质协", issue_date=dt.date.today()
    )
    Certificate.objects.create(
        event=theirs.event,
        submission=theirs.entry,
        audience="group",
        number="B-0001",
        verify_code="BCERT0001",
        honour="QC成果标杆",
        content={},
    )
    RenderJob.objects.create(event=theirs.event, kind="report", status="done")
    AuditLog.objects.create(event=theirs.event, actor=other_org, action="x", target="y")
    user = organizer("organizer-a")
    mine.event.staff.add(user)
    return mine, theirs, user


def registered():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OUR_APPS
    ]


@pytest.mark.parametrize("model", [m for m, _ in registered()], ids=lambda m: m._meta.label_lower)
def test_admin_shows_and_offers_nothing_of_another_event(client, world, model):
    mine, theirs, user = world
    allowed = {mine.event.pk}
    client.force_login(user)
    info = (model._meta.app_label, model._meta.model_name)
    model_admin = admin.site._registry[model]

    # Every name of event b's rows, wherever a page could print it (lists, filters, choices).
    their_names = [
        theirs.event.name,
        theirs.category.name,
        theirs.venue.name,
        theirs.judge.name,
        theirs.entry.title,
        theirs.entry.enterprise.name,
        "organizer-b",
        "enterprise-b-user",
    ]
    response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
    assert response.status_code == 200
    assert [name for name in their_names if name in response.content.decode()] == []
    listed = list(response.context["cl"].result_list)
    assert outside(listed, allowed) == []
    popup = client.get(
        reverse("admin:{}_{}_changelist".format(*info)), {"_to_field": "id", "_popup": 1}
    )
    if popup.status_code == 200:
        assert outside(popup.context["cl"].result_list, allowed) == []

    theirs_rows = [obj for obj in model._default_manager.all() if outside([obj], allowed)]
    for obj in theirs_rows[:3]:
        change = client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        assert change.status_code in (302, 404), obj

    pages = []
    if model_admin.has_add_permission(_request(user)):
        pages.append(client.get(reverse("admin:{}_{}_add".format(*info))))
    own = [obj for obj in response.context["cl"].result_list][:1]
    pages += [client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])) for obj in own]
    for page in pages:
        assert page.status_code == 200
        assert [name for name in their_names if name in page.content.decode()] == []
        for form in forms_of(page):
            for name, field in choice_fields(form):
                assert outside(field.queryset, allowed) == [], (model, name)

    for field_name in getattr(model_admin, "autocomplete_fields", ()):
        answer = client.get(
            reverse("admin:autocomplete"),
            {"app_label": info[0], "model_name": info[1], "field_name": field_name, "term": ""},
        ).json()
        target = model._meta.get_field(field_name).related_model
        rows = target._default_manager.filter(pk__in=[r["id"] for r in answer["results"]])
        assert outside(rows, allowed) == [], (model, field_name)


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


def test_every_registered_admin_of_our_apps_is_event_scoped():
    """A new admin must scope itself; EnterpriseAdmin and RecommendingBody are reference data."""
    from events.admin import EventScopedAdmin

    unscoped = [
        model._meta.label
        for model, model_admin in registered()
        if not isinstance(model_admin, EventScopedAdmin)
    ]
    assert sorted(unscoped) == ["submissions.Enterprise", "submissions.RecommendingBody"]


def test_post_naming_another_events_venue_for_a_seat_is_refused(client, world):
    mine, theirs, user = world
    client.force_login(user)
    url = reverse("admin:judging_judge_change", args=[mine.judge.pk])
    data = {
        "event": mine.event.pk,
        "code": mine.judge.code,
        "name": mine.judge.name,
        "province": "浙江",
        "seats-TOTAL_FORMS": "1",
        "seats-INITIAL_FORMS": "1",
        "seats-MIN_NUM_FORMS": "0",
        "seats-MAX_NUM_FORMS": "1000",
        "seats-0-id": mine.judge.seats.get().pk,
        "seats-0-judge": mine.judge.pk,
        "seats-0-venue": theirs.venue.pk,
        "seats-0-role": "chair",
        "recusals-TOTAL_FORMS": "1",
        "recusals-INITIAL_FORMS": "0",
        "recusals-MIN_NUM_FORMS": "0",
        "recusals-MAX_NUM_FORMS": "1000",
        "recusals-0-submission": theirs.entry.pk,
        "recusals-0-source": "manual",
        "recusals-0-reason": "x",
        "user": UserFactory(username="someone-else").pk,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert mine.judge.seats.get().venue == mine.venue
    assert not Recusal.objects.filter(judge=mine.judge).exists()
    assert Judge.objects.get(pk=mine.judge.pk).user == mine.judge.user


def test_post_naming_another_events_category_for_a_venue_is_refused(client, world):
    mine, theirs, user = world
    client.force_login(user)
    response = client.post(
        reverse("admin:events_venue_add"),
        {"event": mine.event.pk, "number": 5, "name": "第5分会场", "category": theirs.category.pk},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["category"]


def test_post_attaching_another_users_account_to_an_enterprise_is_refused(client, world):
    mine, theirs, user = world
    client.force_login(user)
    root = get_user_model().objects.get(username="root")
    enterprise = mine.entry.enterprise
    response = client.post(
        reverse("admin:submissions_enterprise_change", args=[enterprise.pk]),
        {
            "name": enterprise.name,
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-user": root.pk,
        },
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user=root).exists()


def test_venue_choices_carry_the_events_name(client, world):
    mine, _theirs, user = world
    client.force_login(user)
    text = client.get(reverse("admin:judging_judge_add")).content.decode()
    assert f"{mine.venue} · {mine.event.name}" in text
