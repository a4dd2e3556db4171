"""Objections are signed by a signed-in enterprise user, rate limited, take only the files the
portal takes, and an organizer can dismiss a frivolous one with a reason."""

import datetime as dt
import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from events.models import AuditLog
from judging.awards.publication import (
    answer_objection,
    file_objection,
    finalize_results,
    publish_results,
)
from judging.awards.services import AwardError, start_award_run
from judging.models import Objection, Result
from tests.factories import MembershipFactory, UserFactory
from tests.judging.scored_event import build_scored_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    event = build_scored_event(slug="obj", kinds=(("qc", "QC成果", 2, 6),))
    with django_capture_on_commit_callbacks(execute=True):
        run = start_award_run(event=event)
    now = timezone.now()
    publish_results(event=event, days=5, now=now)
    code = Result.objects.filter(run=run).first().submission.code
    return event, code, now


def form(code, **extra):
    return {
        "code": code,
        "name": "李四",
        "unit": "某厂",
        "contact": "138",
        "grounds": "理由",
    } | extra


def pdf(**root) -> bytes:
    buffer = io.BytesIO()
    with pikepdf.new() as document:
        document.add_blank_page()
        for key, value in root.items():
            document.Root["/" + key] = value
        document.save(buffer)
    return buffer.getvalue()


def test_anonymous_post_is_sent_to_sign_in_and_stores_nothing(client, published):
    event, code, _ = published
    url = reverse("awards_public:objection", args=[event.slug])
    evidence = SimpleUploadedFile("x.pdf", pdf())
    response = client.post(url, form(code) | {"evidence": evidence})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Objection.objects.count() == 0


def test_signed_in_user_of_no_enterprise_is_refused(client, published):
    event, code, _ = published
    client.force_login(UserFactory())
    response = client.post(reverse("awards_public:objection", args=[event.slug]), form(code))
    assert response.status_code == 403
    assert Objection.objects.count() == 0
    with pytest.raises(AwardError, match="只有已登录的企业用户可以提出异议"):
        file_objection(event=event, filed_by=UserFactory(), **form(code))


def test_enterprise_user_files_a_signed_objection_logged_with_the_account(client, published):
    event, code, _ = published
    user = MembershipFactory().user
    client.force_login(user)
    response = client.post(
        reverse("awards_public:objection", args=[event.slug]),
        form(code) | {"evidence": SimpleUploadedFile("evidence.pdf", pdf())},
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.filed_by, objection.name) == (user, "李四")
    assert objection.evidence
    log = AuditLog.objects.get(action="objection.file")
    assert log.actor == user


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("evidence.pdf", b"MZ\x90\x00\x03\x00\x00\x00 renamed program", "文件内容不是 PDF 或 PPTX"),
        (
            "evidence.pdf",
            pdf(OpenAction=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("x"))),
            "PDF 含有 JavaScript 脚本",
        ),
        ("evidence.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10) + b"\n%%EOF\n", "超过上限 1 MB"),
    ],
)
def test_evidence_takes_only_what_the_portal_takes(client, published, name, content, problem):
    event, code, _ = published
    event.upload_max_mb = 1
    event.save()
    client.force_login(MembershipFactory().user)
    response = client.post(
        reverse("awards_public:objection", args=[event.slug]),
        form(code) | {"evidence": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert Objection.objects.count() == 0


def test_objections_are_rate_limited_per_account_and_per_address(client, published, settings):
    settings.QCX_OBJECTION_RATE = 2
    event, code, _ = published
    url = reverse("awards_public:objection", args=[event.slug])
    client.force_login(MembershipFactory().user)
    statuses = [client.post(url, form(code)).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert "提交过于频繁" in client.post(url, form(code)).content.decode()
    # Another account from the same address is limited too.
    client.force_login(MembershipFactory().user)
    assert client.post(url, form(code)).status_code == 429
    # Another account from another address is not.
    other = client.post(url, form(code), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302
    assert Objection.objects.count() == 3


def test_organizer_dismisses_a_frivolous_objection_with_a_reason_then_finalizes(client, published):
    event, code, now = published
    objection = file_objection(event=event, filed_by=MembershipFactory().user, **form(code))
    organizer = UserFactory()
    event.staff.add(organizer)
    client.force_login(organizer)
    url = reverse("awards:objection", args=[event.slug, objection.pk])
    client.post(url, {"status": "frivolous", "answer": ""})
    objection.refresh_from_db()
    assert objection.status == "open"
    client.post(url, {"status": "frivolous", "answer": "无具体理由，与本成果无关"})
    objection.refresh_from_db()
    assert (objection.status, objection.answer, objection.answered_by) == (
        "frivolous",
        "无具体理由，与本成果无关",
        organizer,
    )
    log = AuditLog.objects.get(action="objection.answer")
    assert (log.actor, log.details["status"]) == (organizer, "frivolous")
    page = client.get(url).content.decode()
    assert "不予受理理由" in page and "无具体理由，与本成果无关" in page
    overview = client.get(reverse("awards:orga", args=[event.slug])).content.decode()
    assert "不予受理" in overview
    publication = finalize_results(event=event, now=now + dt.timedelta(days=6))
    assert publication.is_final


def test_frivolous_dismissal_needs_a_reason(published):
    event, code, _ = published
    objection = file_objection(event=event, filed_by=MembershipFactory().user, **form(code))
    with pytest.raises(AwardError, match="不予受理须填写理由"):
        answer_objection(objection=objection, status="frivolous", answer=" ", user=UserFactory())


def test_the_form_asks_for_an_entry_or_a_nomination_where_the_event_honours_people(
    client, published
):
    from tests.factories import CategoryFactory

    event, _code, _ = published
    client.force_login(MembershipFactory().user)
    url = reverse("awards_public:objection", args=[event.slug])
    page = client.get(url).content.decode()
    assert "成果编号" in page and "推荐材料编号" not in page
    CategoryFactory(event=event, kind="person", name="优秀推进者", code_prefix="PR")
    assert "成果或推荐材料编号" in client.get(url).content.decode()
