"""Organizer award pages and the public results page: main paths and permission edges."""

import datetime as dt
import io

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from judging.awards.publication import publish_results
from judging.enums import Decision
from judging.models import AwardRun, Objection, Override, Result
from tests.factories import MembershipFactory, UserFactory
from tests.judging.scored_event import build_scored_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return build_scored_event(slug="views", kinds=(("qc", "QC成果", 2, 6),), recusal_every=5)


@pytest.fixture
def organizer(client, event):
    user = UserFactory()
    event.staff.add(user)
    client.force_login(user)
    return user


@pytest.fixture
def computed(event, organizer, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("awards:run", args=[event.slug]))
    return AwardRun.objects.get(event=event)


def test_run_button_computes_and_page_lists_results(client, event, computed):
    assert computed.digest
    page = client.get(reverse("awards:orga", args=[event.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert computed.digest in text
    assert "位于前50%（3名）内" in text


def test_other_users_get_404(client, event):
    client.force_login(UserFactory())
    assert client.get(reverse("awards:orga", args=[event.slug])).status_code == 404
    assert client.post(reverse("awards:run", args=[event.slug])).status_code == 404
    assert AwardRun.objects.count() == 0


def test_anonymous_users_are_sent_to_login(client, event):
    response = client.get(reverse("awards:orga", args=[event.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_override_page_needs_a_reason(client, event, computed):
    result = Result.objects.filter(run=computed, decision=Decision.NONE).first()
    url = reverse("awards:override", args=[event.slug, result.submission.code])
    assert client.get(url).status_code == 200
    client.post(url, {"decision": "benchmark", "reason": ""})
    assert Override.objects.count() == 0
    client.post(url, {"decision": "benchmark", "reason": "评审委员会复核后增补"})
    assert Override.objects.get().reason == "评审委员会复核后增补"
    assert Result.objects.get(pk=result.pk).decision == Decision.NONE


def test_fairness_page_draws_pictures(client, event, computed):
    page = client.get(reverse("awards:fairness", args=[event.slug]))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("<svg") == 4
    assert "名次区间" in text


def test_fairness_page_in_english(client, event, computed, english_catalogue):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get(reverse("awards:fairness", args=[event.slug])).content.decode()
    assert "<title>Score distribution, 第1分会场</title>" in text
    assert "<title>Judge leniency, 第2分会场</title>" in text
    assert "Current rule" in text
    assert [word for word in ("得分分布", "评委宽严", "当前规则") if word in text] == []


def test_export_workbook_has_category_and_venue_sheets(client, event, computed):
    response = client.get(reverse("awards:export", args=[event.slug]))
    wb = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    assert wb.sheetnames == ["说明", "QC成果", "第1分会场评分矩阵", "第2分会场评分矩阵"]
    header = [c.value for c in wb["QC成果"][1]]
    assert header[:8] == [
        "类别名次",
        "分会场",
        "分会场名次",
        "编号",
        "企业",
        "小组/班组",
        "题目",
        "最终得分",
    ]
    row = [c.value for c in wb["QC成果"][2]]
    assert row[0] == 1
    assert any("（去高）" in str(v) for v in row)
    assert any("（去低）" in str(v) for v in row)
    matrix = [c.value for c in wb["第1分会场评分矩阵"][1]]
    assert matrix[:3] == ["抽签号", "编号", "题目"]


def test_results_page_shows_nothing_before_publication(client, event, computed):
    url = reverse("awards_public:results", args=[event.slug])
    before = client.get(url)
    text = before.content.decode()
    assert before.status_code == 200  # says the results are not published yet; no dead end
    assert "评选结果尚未公示" in text and computed.digest not in text
    chosen = Result.objects.filter(run=computed, decision=Decision.BENCHMARK)
    assert not any(r.submission.title in text for r in chosen)
    assert client.get(reverse("awards_public:objection", args=[event.slug])).status_code == 404
    publish_results(event=event)
    client.logout()
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert computed.digest in text
    assert all(r.submission.title in text for r in chosen)
    out = Result.objects.filter(run=computed, decision=Decision.NONE)
    assert not any(r.submission.title in text for r in out)
    assert "得分 " not in text


def test_public_objection_form_files_a_signed_objection(client, event, computed):
    publish_results(event=event)
    client.logout()
    client.force_login(MembershipFactory().user)
    code = Result.objects.filter(run=computed).first().submission.code
    url = reverse("awards_public:objection", args=[event.slug])
    client.post(
        url, {"code": code, "name": "", "unit": "某厂", "contact": "138", "grounds": "理由"}
    )
    assert Objection.objects.count() == 0
    response = client.post(
        url, {"code": code, "name": "李四", "unit": "某厂", "contact": "138", "grounds": "理由"}
    )
    assert response.status_code == 302
    assert Objection.objects.get().name == "李四"


def test_publish_and_answer_through_the_control_room(client, event, computed, organizer):
    client.post(reverse("awards:publish", args=[event.slug]), {"days": 3})
    assert event.publication.run == computed
    code = Result.objects.filter(run=computed).first().submission.code
    from judging.awards.publication import file_objection

    objection = file_objection(
        event=event, code=code, name="王五", unit="某厂", contact="1", grounds="g",
        filed_by=MembershipFactory().user,
    )  # fmt: skip
    url = reverse("awards:objection", args=[event.slug, objection.pk])
    client.post(url, {"status": "upheld", "answer": "已复核，更正"})
    objection.refresh_from_db()
    assert (objection.status, objection.answered_by) == ("upheld", organizer)


def test_results_page_before_the_notice_starts_says_when(client, event, computed):
    publication = publish_results(event=event)
    publication.notice_starts = publication.notice_starts + dt.timedelta(days=2)
    publication.notice_ends = publication.notice_ends + dt.timedelta(days=2)
    publication.save()
    page = client.get(reverse("awards_public:results", args=[event.slug]))
    text = page.content.decode()
    starts = timezone.localtime(publication.notice_starts).strftime("%Y-%m-%d %H:%M")
    assert page.status_code == 200
    assert f"评选结果将于 {starts} 开始在此公示" in text
    assert computed.digest not in text
