"""Formal review at /orga/<slug>/entries/: list with counts, verdicts logged, enterprise told."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone, translation

from events.models import AuditLog
from submissions.enums import Status
from submissions.models import ReviewLog
from tests.factories import SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def orga_client(client, organizer):
    client.force_login(organizer)
    return client


def test_entry_list_counts_per_status_and_filters(orga_client, event):
    qc = event.categories.get(kind="qc")
    team = event.categories.get(kind="team")
    SubmissionFactory(category=qc, status=Status.SUBMITTED, title="甲")
    SubmissionFactory(category=qc, status=Status.SUBMITTED, title="乙")
    SubmissionFactory(category=team, code="TD-001", status=Status.ADMITTED, title="丙")
    url = reverse("submissions_orga:entries", args=[event.slug])
    response = orga_client.get(url)
    counts = {value: count for value, _, count in response.context["counts"]}
    assert (counts["submitted"], counts["admitted"], counts["draft"]) == (2, 1, 0)
    assert [e.title for e in orga_client.get(url, {"status": "submitted"}).context["page"]] == [
        "甲",
        "乙",
    ]
    assert [e.title for e in orga_client.get(url, {"category": "team"}).context["page"]] == ["丙"]
    assert [e.title for e in orga_client.get(url, {"q": "乙"}).context["page"]] == ["乙"]


def test_entry_list_query_count_does_not_grow_with_entries(
    orga_client, event, django_assert_max_num_queries
):
    qc = event.categories.get(kind="qc")
    for _ in range(30):
        SubmissionFactory(category=qc, status=Status.SUBMITTED)
    with django_assert_max_num_queries(12):
        orga_client.get(reverse("submissions_orga:entries", args=[event.slug]))


def test_non_organizer_gets_404(client, event):
    client.force_login(UserFactory())
    entry = SubmissionFactory(category=event.categories.get(kind="qc"))
    assert client.get(reverse("submissions_orga:entries", args=[event.slug])).status_code == 404
    assert (
        client.get(reverse("submissions_orga:entry", args=[event.slug, entry.pk])).status_code
        == 404
    )
    assert client.get(reverse("submissions_orga:import", args=[event.slug])).status_code == 404


def test_organizer_of_another_event_gets_404_for_this_events_entry(orga_client, event):
    from tests.factories import CategoryFactory

    other = CategoryFactory(event__slug="other-event")
    entry = SubmissionFactory(category=other)
    response = orga_client.get(reverse("submissions_orga:entry", args=[event.slug, entry.pk]))
    assert response.status_code == 404


def test_return_for_fixes_logs_mails_and_shows_in_portal(
    orga_client,
    client,
    event,
    organizer,
    membership,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    entry = SubmissionFactory(
        category=event.categories.get(kind="qc"),
        enterprise=membership.enterprise,
        status=Status.SUBMITTED,
        contact_email="contact@example.com",
    )
    deadline = (timezone.localtime() + dt.timedelta(days=5)).replace(second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        response = orga_client.post(
            reverse("submissions_orga:entry", args=[event.slug, entry.pk]),
            {
                "verdict": "returned",
                "message": "请补充效果检查数据",
                "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
            },
        )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.review_message, entry.fix_deadline) == (
        "returned",
        "请补充效果检查数据",
        deadline,
    )
    log = ReviewLog.objects.get()
    assert (log.actor, log.from_status, log.to_status, log.deadline) == (
        organizer,
        "submitted",
        "returned",
        deadline,
    )
    assert AuditLog.objects.get().action == "submission.review"
    assert sorted(mailoutbox[0].to) == sorted([membership.user.email, "contact@example.com"])
    assert "请补充效果检查数据" in mailoutbox[0].body
    assert "完善后参评" in mailoutbox[0].subject

    client.force_login(membership.user)
    page = client.get(reverse("submissions:entry", args=[entry.pk]))
    assert "请补充效果检查数据" in page.text
    assert page.context["can_edit"] is True


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"verdict": "returned", "message": ""}, "message", "完善后参评须写明需完善的内容"),
        ({"verdict": "returned", "message": "补充"}, "deadline", "完善后参评须设定完善截止时间"),
        ({"verdict": "rejected", "message": ""}, "message", "不评须写明理由"),
        ({"verdict": "deferred", "message": ""}, "message", "缓评须写明理由"),
    ],
)
def test_verdict_without_required_reason_refused(orga_client, event, data, field, message):
    entry = SubmissionFactory(category=event.categories.get(kind="qc"), status=Status.SUBMITTED)
    response = orga_client.post(
        reverse("submissions_orga:entry", args=[event.slug, entry.pk]), data
    )
    assert response.context["form"].errors[field] == [message]
    entry.refresh_from_db()
    assert entry.status == Status.SUBMITTED
    assert not ReviewLog.objects.exists()


def test_admit_then_reject_keeps_both_changes_in_the_log(orga_client, event):
    entry = SubmissionFactory(category=event.categories.get(kind="qc"), status=Status.SUBMITTED)
    url = reverse("submissions_orga:entry", args=[event.slug, entry.pk])
    orga_client.post(url, {"verdict": "admitted"})
    orga_client.post(url, {"verdict": "rejected", "message": "不属于本次活动范围"})
    assert list(ReviewLog.objects.values_list("from_status", "to_status", "message")) == [
        ("submitted", "admitted", ""),
        ("admitted", "rejected", "不属于本次活动范围"),
    ]


def test_organizer_downloads_attachment_of_event_entry(orga_client, event):
    from django.core.files.base import ContentFile

    from submissions.models import Attachment

    entry = SubmissionFactory(category=event.categories.get(kind="qc"))
    attachment = Attachment(
        submission=entry,
        kind="report",
        original_name="r.pdf",
        content_type="application/pdf",
        size=4,
        sha256="0" * 64,
    )
    attachment.file.save("x", ContentFile(b"%PDF"), save=True)
    response = orga_client.get(
        reverse("submissions_orga:attachment", args=[event.slug, entry.pk, attachment.pk])
    )
    assert b"".join(response.streaming_content) == b"%PDF"


def test_admin_bulk_verdict_also_mails_the_enterprise(
    event, membership, mailoutbox, django_capture_on_commit_callbacks
):
    from submissions.models import Submission
    from submissions.services import record_review_verdict

    SubmissionFactory(
        category=event.categories.get(kind="qc"),
        enterprise=membership.enterprise,
        status=Status.SUBMITTED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_review_verdict(
            submissions=Submission.objects.all(), to_status="admitted", actor=UserFactory()
        )
    assert [m.to for m in mailoutbox] == [[membership.user.email]]
    assert "参评" in mailoutbox[0].subject


def test_verdict_given_in_english_mails_in_english(
    orga_client,
    event,
    membership,
    mailoutbox,
    english_catalogue,
    django_capture_on_commit_callbacks,
):
    entry = SubmissionFactory(
        category=event.categories.get(kind="qc"),
        enterprise=membership.enterprise,
        status=Status.SUBMITTED,
        code="QC-007",
        title="降低缸体加工不良率",
    )
    deadline = (timezone.localtime() + dt.timedelta(days=5)).replace(second=0, microsecond=0)
    orga_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        orga_client.post(
            reverse("submissions_orga:entry", args=[event.slug, entry.pk]),
            {
                "verdict": "returned",
                "message": "请补充效果检查数据",
                "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
            },
        )
    [mail] = mailoutbox
    event_name = event.short_name or event.name
    assert mail.subject == f"[{event_name}] Formal review of entry QC-007: Returned for fixes"
    assert mail.body == (
        f"{membership.enterprise.name}:\n\n"
        "The formal review verdict on your entry QC-007 “降低缸体加工不良率” is: "
        "Returned for fixes.\n\n"
        "Review comments: 请补充效果检查数据\n"
        f"Please make the fixes and resubmit by: {deadline:%Y-%m-%d %H:%M}\n\n"
        "Sign in to the submission system for details.\n\n"
    )


def test_review_mail_written_in_the_language_of_the_verdict_not_the_workers(
    event, membership, mailoutbox, english_catalogue, django_capture_on_commit_callbacks
):
    """The task runs without the organizer's request: the language travels with it."""
    from submissions.services.entries import review_entry

    entry = SubmissionFactory(
        category=event.categories.get(kind="qc"),
        enterprise=membership.enterprise,
        status=Status.SUBMITTED,
        code="QC-008",
    )
    with django_capture_on_commit_callbacks() as callbacks:
        with translation.override("en"):
            review_entry(submission=entry, actor=UserFactory(), verdict="admitted")
    assert translation.get_language() == "zh-hans"
    for callback in callbacks:
        callback()
    event_name = event.short_name or event.name
    assert [m.subject for m in mailoutbox] == [
        f"[{event_name}] Formal review of entry QC-008: Admitted"
    ]
    assert "Sign in to the submission system for details." in mailoutbox[0].body


def test_review_mail_chinese_by_default(event, membership, mailoutbox, english_catalogue):
    from submissions.services.entries import notify_review

    entry = SubmissionFactory(
        category=event.categories.get(kind="qc"),
        enterprise=membership.enterprise,
        status=Status.ADMITTED,
        code="QC-009",
        title="降低不良率",
    )
    assert notify_review(submission_id=entry.pk) == 1
    event_name = event.short_name or event.name
    assert mailoutbox[0].subject == f"【{event_name}】成果 QC-009 形式审查结果：参评"
    assert mailoutbox[0].body == (
        f"{membership.enterprise.name}：\n\n"
        "您的成果 QC-009《降低不良率》的形式审查结论为：参评。\n\n\n"
        "请登录成果申报系统查看详情。\n\n"
    )


def test_returned_entry_is_fixed_resubmitted_and_admitted(event, organizer, membership):
    from django.test import Client

    from submissions.models import Submission
    from tests.submissions.conftest import pdf_bytes, upload

    enterprise, orga = Client(), Client()
    enterprise.force_login(membership.user)
    orga.force_login(organizer)
    fields = {"group_name": "品牌讲述团", "title": "一颗螺丝钉", "contact_name": "甲"}
    fields |= {"contact_phone": "13800138000", "members-0-name": "郑洁"}
    fields |= {"members-0-role": "speaker", "members-TOTAL_FORMS": "1"}
    fields |= {"members-INITIAL_FORMS": "0", "action": "save"}
    enterprise.post(reverse("submissions:entry_create", args=[event.slug, "story"]), fields)
    entry = Submission.objects.get()
    enterprise.post(
        reverse("submissions:attachment_upload", args=[entry.pk]),
        {"kind": "report", "file": upload("r.pdf", pdf_bytes())},
    )
    enterprise.post(reverse("submissions:entry_submit", args=[entry.pk]))
    review = reverse("submissions_orga:entry", args=[event.slug, entry.pk])
    deadline = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    orga.post(review, {"verdict": "returned", "message": "题目请写完整", "deadline": deadline})

    edit = reverse("submissions:entry_edit", args=[entry.pk])
    member = entry.members.get()
    fields |= {"title": "一颗螺丝钉的质量故事", "members-INITIAL_FORMS": "1"}
    fields |= {"members-0-id": str(member.pk), "members-0-submission": str(entry.pk)}
    enterprise.post(edit, {**fields, "action": "submit"})
    entry.refresh_from_db()
    assert (entry.title, entry.status) == ("一颗螺丝钉的质量故事", "submitted")

    orga.post(review, {"verdict": "admitted"})
    entry.refresh_from_db()
    assert entry.status == "admitted"
    assert list(entry.review_log.values_list("from_status", "to_status")) == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "admitted"),
    ]
    assert enterprise.get(edit).status_code == 302  # frozen again


def test_the_review_mail_of_a_nomination_speaks_of_the_dossier_and_its_nominee(mailoutbox, event):
    from events.enums import CategoryKind
    from submissions.services.entries import notify_review
    from tests.factories import CategoryFactory

    category = CategoryFactory(
        event=event, kind=CategoryKind.INDIVIDUAL, code_prefix="GR", name="优秀个人"
    )
    nomination = SubmissionFactory(
        event=event,
        category=category,
        code="GR-001",
        title="",
        nominee_name="王建国",
        status=Status.ADMITTED,
        contact_email="contact@example.com",
    )
    with translation.override("zh-hans"):
        assert notify_review(submission_id=nomination.pk) == 1
    mail = mailoutbox[0]
    assert "推荐材料 GR-001 形式审查结果" in mail.subject
    assert "您推荐的 GR-001（被推荐：王建国）的形式审查结论为：参评。" in mail.body
    assert "成果" not in mail.subject.split("】")[1] + mail.body


def test_the_review_list_names_a_nominations_nominee_where_an_entry_has_its_title(
    orga_client, event
):
    from tests.factories import CategoryFactory

    category = CategoryFactory(event=event, kind="person", code_prefix="GR", name="优秀个人")
    nomination = SubmissionFactory(
        event=event, category=category, code="GR-001", title="", nominee_name="王建国"
    )
    html = orga_client.get(reverse("submissions_orga:entries", args=[event.slug])).content.decode()
    link = reverse("submissions_orga:entry", args=[event.slug, nomination.pk])
    assert f'<a href="{link}">王建国</a>' in html
