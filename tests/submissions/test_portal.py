"""The enterprise portal: one flow per category, drafts, submit and freeze, files, IDOR."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from submissions.enums import Status
from submissions.models import Attachment, Submission
from tests.factories import MemberFactory, MembershipFactory, SubmissionFactory
from tests.submissions.conftest import pdf_bytes, pptx_bytes, upload

pytestmark = pytest.mark.django_db

QC_FIELDS = {
    "group_name": "精益QC小组",
    "title": "降低缸体加工不良率",
    "topic_type": "onsite",
    "activity_start": "2021-01-04",
    "activity_end": "2021-06-30",
    "group_intro": "小组成立于2018年",
    "topic_reason": "不良率高",
    "activity_summary": "按PDCA开展",
    "main_results": "不良率下降60%",
    "contact_name": "张伟",
    "contact_phone": "0571-88886666",
    "contact_email": "zw@example.com",
}


def member_data(members, *, total=None):
    data = {
        "members-TOTAL_FORMS": str(total if total is not None else len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    for index, (name, role) in enumerate(members):
        data[f"members-{index}-name"] = name
        data[f"members-{index}-role"] = role
        data[f"members-{index}-post"] = "工程师"
    return data


FIVE = [
    ("张伟", "leader"),
    ("李娜", "deputy"),
    ("王强", "member"),
    ("赵敏", "member"),
    ("钱多", "member"),
]


def create(client, event, kind, fields, members, action="save"):
    data = {**fields, **member_data(members), "action": action}
    return client.post(reverse("submissions:entry_create", args=[event.slug, kind]), data)


def attach_report(client, submission):
    return client.post(
        reverse("submissions:attachment_upload", args=[submission.pk]),
        {"kind": "report", "file": upload("成果报告.pdf", pdf_bytes())},
    )


def test_dashboard_lists_open_event_categories(portal_client, event):
    response = portal_client.get(reverse("submissions:dashboard"))
    assert response.status_code == 200
    for kind in ("qc", "team", "story"):
        assert reverse("submissions:entry_create", args=[event.slug, kind]) in response.text


def test_qc_draft_saved_incomplete_then_submitted_and_frozen(portal_client, event, membership):
    response = create(portal_client, event, "qc", {"title": "只填了题目"}, [])
    entry = Submission.objects.get()
    assert response.url == reverse("submissions:entry", args=[entry.pk])
    assert (entry.status, entry.code, entry.enterprise) == (
        "draft",
        "QC-001",
        membership.enterprise,
    )

    response = portal_client.post(reverse("submissions:entry_submit", args=[entry.pk]), follow=True)
    entry.refresh_from_db()
    assert entry.status == Status.DRAFT
    assert "请填写小组/班组名称" in response.text
    assert "QC成果的成员应为3至15人，现为0人" in response.text
    assert "请上传成果报告（PDF）" in response.text

    edit = reverse("submissions:entry_edit", args=[entry.pk])
    portal_client.post(edit, {**QC_FIELDS, **member_data(FIVE), "action": "save"})
    assert attach_report(portal_client, entry).status_code == 302
    portal_client.post(reverse("submissions:entry_submit", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == Status.SUBMITTED
    assert [m.name for m in entry.members.all()] == [name for name, _ in FIVE]
    assert list(entry.review_log.values_list("from_status", "to_status")) == [
        ("draft", "submitted")
    ]

    frozen = portal_client.post(edit, {**QC_FIELDS, "title": "改了", **member_data(FIVE)})
    entry.refresh_from_db()
    assert frozen.status_code == 302
    assert entry.title == QC_FIELDS["title"]


def test_qc_more_than_fifteen_members_refused(portal_client, event):
    members = [(f"成员{i}", "member") for i in range(16)]
    response = create(portal_client, event, "qc", QC_FIELDS, members)
    assert response.status_code == 200
    assert Submission.objects.count() == 0
    assert "15" in response.context["formset"].non_form_errors()[0]


@pytest.mark.parametrize(
    ("kind", "fields", "members", "code"),
    [
        (
            "team",
            {
                "group_name": "总装一班",
                "title": "零缺陷班组建设",
                "activity_start": "2020-01-01",
                "activity_end": "2021-06-30",
            },
            [("周立", "leader"), ("吴刚", "member")],
            "TD-001",
        ),
        (
            "story",
            {"group_name": "品牌讲述团", "title": "一颗螺丝钉的故事"},
            [("郑洁", "speaker")],
            "PP-001",
        ),
    ],
)
def test_team_and_story_flows_submit_with_report(portal_client, event, kind, fields, members, code):
    contact = {"contact_name": "张伟", "contact_phone": "13800138000"}
    create(portal_client, event, kind, {**fields, **contact}, members)
    entry = Submission.objects.get()
    attach_report(portal_client, entry)
    portal_client.post(reverse("submissions:entry_submit", args=[entry.pk]))
    entry.refresh_from_db()
    assert (entry.code, entry.category.kind, entry.status) == (code, kind, Status.SUBMITTED)
    assert entry.topic_type == ""


def test_story_form_has_no_topic_type_field(portal_client, event):
    response = portal_client.get(reverse("submissions:entry_create", args=[event.slug, "story"]))
    assert "topic_type" not in response.context["form"].fields
    assert response.context["form"].fields["group_name"].label == "讲述团队"


def test_reopen_before_deadline_makes_a_draft_again(portal_client, event, membership):
    entry = SubmissionFactory(
        category=event.categories.get(kind="qc"),
        enterprise=membership.enterprise,
        status=Status.SUBMITTED,
    )
    portal_client.post(reverse("submissions:entry_reopen", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == Status.DRAFT


def test_after_deadline_enterprise_can_change_nothing(portal_client, event, membership):
    event.submission_closes = timezone.now() - dt.timedelta(minutes=1)
    event.save()
    qc = event.categories.get(kind="qc")
    draft = SubmissionFactory(category=qc, enterprise=membership.enterprise, status=Status.DRAFT)
    submitted = SubmissionFactory(
        category=qc, enterprise=membership.enterprise, status=Status.SUBMITTED
    )

    assert create(portal_client, event, "qc", QC_FIELDS, FIVE).status_code == 302
    assert Submission.objects.count() == 2
    portal_client.post(
        reverse("submissions:entry_edit", args=[draft.pk]), {**QC_FIELDS, **member_data(FIVE)}
    )
    portal_client.post(reverse("submissions:entry_reopen", args=[submitted.pk]))
    response = attach_report(portal_client, draft)
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert draft.title != QC_FIELDS["title"]
    assert submitted.status == Status.SUBMITTED
    assert response.status_code == 302 and Attachment.objects.count() == 0
    page = portal_client.get(reverse("submissions:entry", args=[draft.pk]))
    assert "申报时间之外，草稿不能修改或提交。" in page.text


def test_after_deadline_entry_returned_for_fixes_can_be_resubmitted(
    portal_client, event, membership
):
    event.submission_closes = timezone.now() - dt.timedelta(days=1)
    event.save()
    entry = SubmissionFactory(
        category=event.categories.get(kind="qc"),
        enterprise=membership.enterprise,
        status=Status.RETURNED,
        fix_deadline=timezone.now() + dt.timedelta(days=3),
        **{k: v for k, v in QC_FIELDS.items() if k not in ("activity_start", "activity_end")},
        activity_start=dt.date(2021, 1, 4),
        activity_end=dt.date(2021, 6, 30),
    )
    for name, role in FIVE:
        MemberFactory(submission=entry, name=name, role=role)
    edit = reverse("submissions:entry_edit", args=[entry.pk])
    assert portal_client.get(edit).status_code == 200
    assert attach_report(portal_client, entry).status_code == 302
    response = portal_client.post(reverse("submissions:entry_submit", args=[entry.pk]), follow=True)
    entry.refresh_from_db()
    assert [str(m) for m in response.context["messages"]][-1] == "成果已提交，内容已锁定。"
    assert entry.status == Status.SUBMITTED


def test_window_not_open_yet_form_says_so(portal_client, event):
    event.submission_opens = timezone.now() + dt.timedelta(days=1)
    event.save()
    response = portal_client.get(
        reverse("submissions:entry_create", args=[event.slug, "qc"]), follow=True
    )
    assert "本活动当前不在申报时间内。" in response.text


def test_upload_keeps_sha256_random_name_outside_static(portal_client, event, membership):
    entry = SubmissionFactory(
        category=event.categories.get(kind="qc"),
        enterprise=membership.enterprise,
        status=Status.DRAFT,
    )
    content = pdf_bytes()
    attach_report(portal_client, entry)
    attachment = Attachment.objects.get()
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "成果报告.pdf",
        "application/pdf",
        len(content),
    )
    stored = Path(attachment.file.path)
    assert stored.read_bytes() == content
    assert "成果报告" not in stored.name and not stored.suffix
    assert Path(settings.MEDIA_ROOT) in stored.parents
    response = portal_client.get(reverse("submissions:attachment", args=[entry.pk, attachment.pk]))
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "kind", "message"),
    [
        ("报告.pdf", "纯文本".encode(), "report", "文件内容不是 PDF 或 PPTX"),
        ("slides.pptx", pptx_bytes(macro=True), "slides", "不接受含宏的演示文稿"),
    ],
)
def test_upload_refused_by_content_answers_json_error(
    portal_client, event, membership, name, content, kind, message
):
    entry = SubmissionFactory(
        category=event.categories.get(kind="qc"),
        enterprise=membership.enterprise,
        status=Status.DRAFT,
    )
    response = portal_client.post(
        reverse("submissions:attachment_upload", args=[entry.pk]),
        {"kind": kind, "file": upload(name, content)},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert message in response.json()["error"]
    assert Attachment.objects.count() == 0


def test_upload_of_renamed_executable_refused_in_english(
    portal_client, event, membership, english_catalogue
):
    entry = SubmissionFactory(
        category=event.categories.get(kind="qc"),
        enterprise=membership.enterprise,
        status=Status.DRAFT,
    )
    portal_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = portal_client.post(
        reverse("submissions:attachment_upload", args=[entry.pk]),
        {"kind": "report", "file": upload("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00")},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == (
        "report.pdf: The file's content is not PDF or PPTX (files are recognised by their "
        "content, not by the extension of their name)"
    )
    assert Attachment.objects.count() == 0


def test_upload_oversized_refused_by_event_limit(portal_client, event, membership):
    event.upload_max_mb = 1
    event.save()
    entry = SubmissionFactory(
        category=event.categories.get(kind="qc"),
        enterprise=membership.enterprise,
        status=Status.DRAFT,
    )
    big = pdf_bytes().replace(b"%%EOF", b"%" + b"0" * (1024 * 1024) + b"\n%%EOF")
    response = portal_client.post(
        reverse("submissions:attachment_upload", args=[entry.pk]),
        {"kind": "report", "file": upload("big.pdf", big)},
        headers={"Accept": "application/json"},
    )
    assert response.json()["error"] == "big.pdf：文件大小 1.0 MB 超过上限 1 MB"
    assert Attachment.objects.count() == 0


def test_slides_pptx_accepted(portal_client, event, membership):
    entry = SubmissionFactory(
        category=event.categories.get(kind="qc"),
        enterprise=membership.enterprise,
        status=Status.DRAFT,
    )
    portal_client.post(
        reverse("submissions:attachment_upload", args=[entry.pk]),
        {"kind": "slides", "file": upload("发表.pptx", pptx_bytes())},
    )
    assert Attachment.objects.get().content_type == (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    )


def test_other_enterprise_entry_and_file_answer_404(client, event):
    mine = MembershipFactory()
    theirs = SubmissionFactory(category=event.categories.get(kind="qc"), status=Status.DRAFT)
    other = MembershipFactory(enterprise=theirs.enterprise)
    client.force_login(other.user)
    attach_report(client, theirs)
    attachment = Attachment.objects.get()
    client.force_login(mine.user)
    urls = [
        reverse("submissions:entry", args=[theirs.pk]),
        reverse("submissions:entry_edit", args=[theirs.pk]),
        reverse("submissions:attachment", args=[theirs.pk, attachment.pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    posts = [
        reverse("submissions:entry_submit", args=[theirs.pk]),
        reverse("submissions:entry_reopen", args=[theirs.pk]),
        reverse("submissions:attachment_upload", args=[theirs.pk]),
        reverse("submissions:attachment_delete", args=[theirs.pk, attachment.pk]),
    ]
    assert [client.post(url).status_code for url in posts] == [404, 404, 404, 404]
    assert Attachment.objects.count() == 1


def test_own_entry_with_other_entrys_file_id_answers_404(portal_client, event, membership):
    mine = SubmissionFactory(
        category=event.categories.get(kind="qc"),
        enterprise=membership.enterprise,
        status=Status.DRAFT,
    )
    theirs = SubmissionFactory(category=event.categories.get(kind="qc"), status=Status.DRAFT)
    attachment = Attachment.objects.create(
        submission=theirs,
        kind="report",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        file="attachments/x",
    )
    response = portal_client.get(reverse("submissions:attachment", args=[mine.pk, attachment.pk]))
    assert response.status_code == 404


def test_anonymous_user_sent_to_login(client, event):
    response = client.get(reverse("submissions:dashboard"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_colleague_account_created_by_enterprise_admin(
    portal_client, membership, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        portal_client.post(
            reverse("submissions:team"), {"full_name": "李娜", "email": "lina@example.com"}
        )
    colleague = membership.enterprise.memberships.get(user__email="lina@example.com")
    assert colleague.is_admin is False
    assert not colleague.user.has_usable_password()
    assert "/accounts/password/reset/" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("kind", "members", "problem"),
    [
        ("qc", [("甲", "member"), ("乙", "member"), ("丙", "member")], "成员中须有且只有一名组长"),
        ("qc", [("甲", "leader"), ("乙", "leader"), ("丙", "member")], "成员中须有且只有一名组长"),
        ("story", [("甲", "member")], "成员中须至少有一名讲述人"),
    ],
)
def test_submit_checks_member_roles(portal_client, event, kind, members, problem):
    fields = (
        {**QC_FIELDS}
        if kind == "qc"
        else {
            "group_name": "团",
            "title": "故事",
            "contact_name": "甲",
            "contact_phone": "13800138000",
        }
    )
    create(portal_client, event, kind, fields, members)
    entry = Submission.objects.get()
    attach_report(portal_client, entry)
    response = portal_client.post(reverse("submissions:entry_submit", args=[entry.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]][-1] == problem
    entry.refresh_from_db()
    assert entry.status == Status.DRAFT


def test_upload_declared_too_large_refused_before_reading(portal_client, event, membership):
    entry = SubmissionFactory(
        category=event.categories.get(kind="qc"),
        enterprise=membership.enterprise,
        status=Status.DRAFT,
    )
    response = portal_client.post(
        reverse("submissions:attachment_upload", args=[entry.pk]),
        data=b"",
        content_type="multipart/form-data; boundary=x",
        headers={"Accept": "application/json"},
        CONTENT_LENGTH=str(60 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert response.json() == {"ok": False, "error": "文件大小 60.0 MB 超过上限 50 MB"}


def test_upload_still_checks_csrf(event, membership):
    from django.test import Client

    entry = SubmissionFactory(
        category=event.categories.get(kind="qc"),
        enterprise=membership.enterprise,
        status=Status.DRAFT,
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(membership.user)
    response = client.post(
        reverse("submissions:attachment_upload", args=[entry.pk]),
        {"kind": "report", "file": upload("r.pdf", pdf_bytes())},
    )
    assert response.status_code == 403
    assert Attachment.objects.count() == 0
