"""The organizers' admin: pages, scoping to the organizer's events, score-sheet validation."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Event
from judging.models import ScoreSheet
from tests.admin_setup import event_rows, organizer
from tests.factories import SubmissionFactory, UserFactory, blank_pdf

LIST_PAGES = [
    "events_event",
    "events_category",
    "events_venue",
    "submissions_submission",
    "submissions_enterprise",
    "submissions_recommendingbody",
    "judging_scoresheet",
    "judging_judge",
    "judging_recusal",
    "events_auditlog",
]


@pytest.fixture
def rows(db):
    return event_rows("甲"), event_rows("乙", province="江苏")


@pytest.fixture
def organizer_client(client, rows):
    mine, _ = rows
    user = organizer()
    mine.event.staff.add(user)
    client.force_login(user)
    return client


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def change_pages(rows):
    return [
        reverse("admin:events_event_change", args=[rows.event.pk]),
        reverse("admin:events_category_change", args=[rows.category.pk]),
        reverse("admin:events_venue_change", args=[rows.venue.pk]),
        reverse("admin:submissions_submission_change", args=[rows.entry.pk]),
        reverse("admin:judging_scoresheet_change", args=[rows.sheet.pk]),
        reverse("admin:judging_judge_change", args=[rows.judge.pk]),
    ]


def add_pages():
    return [
        reverse(f"admin:{name}_add")
        for name in [
            "events_event",
            "submissions_submission",
            "judging_scoresheet",
            "judging_judge",
        ]
    ]


@pytest.mark.parametrize("page", LIST_PAGES)
def test_admin_list_page_loads_for_superuser(superuser_client, rows, page):
    response = superuser_client.get(reverse(f"admin:{page}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("page", LIST_PAGES)
def test_admin_list_page_loads_for_organizer(organizer_client, page):
    response = organizer_client.get(reverse(f"admin:{page}_changelist"))
    assert response.status_code == 200


def test_admin_change_and_add_pages_load_for_superuser(superuser_client, rows):
    for url in change_pages(rows[1]) + add_pages():
        assert superuser_client.get(url).status_code == 200, url


def test_admin_change_and_add_pages_load_for_organizer(organizer_client, rows):
    for url in change_pages(rows[0]) + add_pages():
        assert organizer_client.get(url).status_code == 200, url


def test_admin_organizer_sees_only_their_event(organizer_client, rows):
    mine, theirs = rows
    for page, mine_text, theirs_text in [
        ("events_event", mine.event.name, theirs.event.name),
        ("events_category", mine.category.name, theirs.category.name),
        ("events_venue", mine.venue.name, theirs.venue.name),
        ("submissions_submission", mine.entry.title, theirs.entry.title),
        ("submissions_enterprise", mine.entry.enterprise.name, theirs.entry.enterprise.name),
        ("judging_judge", mine.judge.name, theirs.judge.name),
    ]:
        text = organizer_client.get(reverse(f"admin:{page}_changelist")).content.decode()
        assert mine_text in text, page
        assert theirs_text not in text, page


def test_admin_organizer_cannot_open_another_events_rows(organizer_client, rows):
    for url in change_pages(rows[1]):
        response = organizer_client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("admin:index")


def test_admin_superuser_sees_every_event(superuser_client, rows):
    text = superuser_client.get(reverse("admin:events_event_changelist")).content.decode()
    assert rows[0].event.name in text and rows[1].event.name in text


def test_admin_organizer_choices_are_limited_to_their_events(organizer_client, rows):
    mine, theirs = rows
    text = organizer_client.get(reverse("admin:judging_scoresheet_add")).content.decode()
    assert mine.category.name in text
    assert theirs.category.name not in text
    assert theirs.event.name not in text


def test_admin_organizer_who_creates_an_event_keeps_access_to_it(organizer_client, rows):
    response = organizer_client.post(
        reverse("admin:events_event_add"),
        {
            "name": "第41次交流活动",
            "short_name": "第41次",
            "slug": "cmqa-41",
            "start_date": "2022-09-22",
            "end_date": "2022-09-24",
            "is_public": "on",
            "notice_days": "7",
            "upload_max_mb": "50",
            "outlier_mad_multiple": "3.00",
            "certificate_number_pattern": "CMQA-{year}-{prefix}-{seq:04d}",
            **{
                f"{prefix}-{key}": value
                for prefix in ["categories", "venues", "plenary_items", "report_sections"]
                for key, value in [("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0")]
            },
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(slug="cmqa-41")
    assert (
        organizer_client.get(reverse("admin:events_event_change", args=[event.pk])).status_code
        == 200
    )


def sheet_form(sheet: ScoreSheet, points: list[str], total: str = "100") -> dict:
    items = list(sheet.items.order_by("order"))
    data = {
        "event": sheet.event_id,
        "category": sheet.category_id,
        "topic_type": sheet.topic_type,
        "phase": sheet.phase,
        "name": sheet.name,
        "total": total,
        "weight": "1",
        "note": "",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "1000",
        "_save": "保存",
    }
    for index, (item, value) in enumerate(zip(items, points, strict=True)):
        data |= {
            f"items-{index}-id": str(item.pk),
            f"items-{index}-sheet": str(sheet.pk),
            f"items-{index}-order": str(item.order),
            f"items-{index}-code": item.code,
            f"items-{index}-name": item.name,
            f"items-{index}-max_points": value,
            f"items-{index}-step": "0.5",
            f"items-{index}-criteria": "",
        }
    return data


def test_admin_refuses_a_sheet_whose_items_do_not_add_up(organizer_client, rows):
    sheet = rows[0].sheet
    url = reverse("admin:judging_scoresheet_change", args=[sheet.pk])
    response = organizer_client.post(url, sheet_form(sheet, ["15", "30", "20", "20", "5", "5"]))
    assert response.status_code == 200
    assert (
        "评分表“问题解决型课题成果评审表”：评分项满分合计为 95，应等于评分表满分 100。"
        "请调整各评分项的满分。" in response.content.decode()
    )
    assert sheet.items_total() == Decimal("100")


def test_admin_refuses_a_new_total_the_items_do_not_reach(organizer_client, rows):
    sheet = rows[0].sheet
    url = reverse("admin:judging_scoresheet_change", args=[sheet.pk])
    response = organizer_client.post(
        url, sheet_form(sheet, ["15", "30", "20", "20", "5", "10"], total="120")
    )
    assert response.status_code == 200
    assert "评分项满分合计为 100，应等于评分表满分 120。" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.total == Decimal("100")


def test_admin_saves_a_sheet_whose_items_add_up(organizer_client, rows):
    sheet = rows[0].sheet
    url = reverse("admin:judging_scoresheet_change", args=[sheet.pk])
    response = organizer_client.post(
        url, sheet_form(sheet, ["20", "30", "20", "15", "5", "10"], total="100")
    )
    assert response.status_code == 302
    assert list(sheet.items.order_by("order").values_list("max_points", flat=True)) == [
        Decimal(p) for p in [20, 30, 20, 15, 5, 10]
    ]


def test_admin_refuses_a_sheet_category_of_another_event(superuser_client, rows):
    sheet = rows[0].sheet
    data = sheet_form(sheet, ["15", "30", "20", "20", "5", "10"])
    data["category"] = rows[1].category.pk
    response = superuser_client.post(
        reverse("admin:judging_scoresheet_change", args=[sheet.pk]), data
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["category"] == [
        f"“{rows[1].category.name}”不属于活动“{rows[0].event.name}”。"
    ]


def query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "page",
    [
        "submissions_submission",
        "judging_judge",
        "judging_scoresheet",
        "events_venue",
        "events_event",
    ],
)
def test_admin_list_queries_do_not_grow_with_rows(organizer_client, rows, page):
    url = reverse(f"admin:{page}_changelist")
    few = query_count(organizer_client, url)
    for label in ["丙", "丁", "戊"]:
        more = event_rows(label)
        more.event.staff.add(rows[0].event.staff.get())
        for number in range(2, 6):
            SubmissionFactory(event=more.event, category=more.category, code=f"QC-{number:03d}")
    assert query_count(organizer_client, url) == few


def test_admin_refuses_an_entry_category_of_another_event(superuser_client, rows):
    mine, theirs = rows
    url = reverse("admin:submissions_submission_change", args=[mine.entry.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {
        "event": mine.event.pk,
        "category": theirs.category.pk,
        "enterprise": mine.entry.enterprise_id,
        **{
            f"{prefix}-{key}": "0"
            for prefix in ["members", "attachments", "review_log"]
            for key in ["TOTAL_FORMS", "INITIAL_FORMS"]
        },
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["category"] == [
        f"“{theirs.category.name}”不属于活动“{mine.event.name}”。"
    ]


def new_event_with_venue(kind_of_category: str, kind_of_venue: str) -> dict:
    """Return the add form of an event with one category and one venue, in one save."""
    return {
        "name": "第41次交流活动",
        "short_name": "第41次",
        "slug": "cmqa-41",
        "start_date": "2022-09-22",
        "end_date": "2022-09-24",
        "is_public": "on",
        "notice_days": "7",
        "upload_max_mb": "50",
        "outlier_mad_multiple": "3.00",
        "certificate_number_pattern": "CMQA-{year}-{prefix}-{seq:04d}",
        **{
            f"{prefix}-{key}": value
            for prefix in ["plenary_items", "report_sections"]
            for key, value in [("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0")]
        },
        "categories-TOTAL_FORMS": "1",
        "categories-INITIAL_FORMS": "0",
        "categories-0-order": "1",
        "categories-0-kind": kind_of_category,
        "categories-0-name": "QC成果",
        "categories-0-code_prefix": "QC",
        "categories-0-honour": "QC成果标杆",
        "categories-0-slot_minutes": "10",
        "categories-0-qa_minutes": "2",
        "categories-0-award_rule": "quota",
        "categories-0-quota_count": "10",
        "categories-0-showcase_count": "0",
        "venues-TOTAL_FORMS": "1",
        "venues-INITIAL_FORMS": "0",
        "venues-0-number": "1",
        "venues-0-name": "第1分会场",
        "venues-0-category_kind": kind_of_venue,
        "venues-0-room": "A101",
        "venues-0-day": "2022-09-23",
    }


def test_admin_new_events_venue_takes_its_category_on_the_first_save(organizer_client, rows):
    response = organizer_client.post(
        reverse("admin:events_event_add"), new_event_with_venue("qc", "qc")
    )
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    event = Event.objects.get(slug="cmqa-41")
    venue = event.venues.get()
    assert venue.category == event.categories.get()


def test_admin_new_events_venue_needs_a_category_added_with_it(organizer_client, rows):
    response = organizer_client.post(
        reverse("admin:events_event_add"), new_event_with_venue("qc", "story")
    )
    assert response.status_code == 200
    venue_formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "venues"
    )
    assert venue_formset.forms[0].errors["category_kind"] == [
        "上方“类别”中没有此类别，请一并添加（如 QC成果）。"
    ]
    assert not Event.objects.filter(slug="cmqa-41").exists()


def notice_post(organizer_client, event, **changes) -> dict:
    """Return the event's change form as the admin would post it back, with ``changes``."""
    Event.objects.filter(pk=event.pk).update(slug="cmqa-40")  # the rows' slugs are Chinese
    page = organizer_client.get(reverse("admin:events_event_change", args=[event.pk]))
    forms = [page.context["adminform"].form] + [
        inline for formset in page.context["inline_admin_formsets"] for inline in formset.formset
    ]
    data = {}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({f"{management.prefix}-{k}": v for k, v in management.initial.items()})
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if name == "notice_file" or value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    data.update(changes)
    return data


def test_admin_organizer_edits_the_events_notice_and_its_pdf(organizer_client, rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    event = rows[0].event
    page = organizer_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert {"announced_at", "notice", "notice_file"} <= set(page.context["adminform"].form.fields)
    pdf = SimpleUploadedFile("通知.pdf", blank_pdf(), "application/pdf")
    data = notice_post(
        organizer_client, event, notice="关于举办质量工匠竞赛的通知", notice_file=pdf
    )
    response = organizer_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.notice == "关于举办质量工匠竞赛的通知"
    assert event.notice_file.name.endswith(".pdf")


def test_admin_refuses_a_notice_file_that_is_no_pdf(organizer_client, rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    event = rows[0].event
    fake = SimpleUploadedFile("通知.pdf", b"PK\x03\x04 not a pdf at all", "application/pdf")
    data = notice_post(organizer_client, event, notice_file=fake)
    response = organizer_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["notice_file"] and "通知.pdf" in errors["notice_file"][0]
    event.refresh_from_db()
    assert not event.notice_file
