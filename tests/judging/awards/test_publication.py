"""Publication: the notice window, the public list, signed objections, finalizing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from events.models import AuditLog
from judging.awards.publication import (
    answer_objection,
    file_objection,
    finalize_results,
    public_lists,
    publish_results,
)
from judging.awards.services import AwardError, create_override, execute_award_run, start_award_run
from judging.enums import Decision
from judging.models import AwardRun, Objection, Result
from tests.factories import MembershipFactory, UserFactory
from tests.judging.scored_event import build_scored_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(django_capture_on_commit_callbacks):
    event = build_scored_event(
        slug="pub", kinds=(("qc", "QC成果", 2, 6), ("story", "质量品牌故事", 1, 4))
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = start_award_run(event=event)
    run.refresh_from_db()
    return event, run


@pytest.fixture
def filer():
    """An enterprise user, who alone may file an objection."""
    return MembershipFactory().user


def test_publish_needs_a_finished_run():
    event = build_scored_event(slug="nopub")
    with pytest.raises(AwardError, match="尚无已完成的评选计算"):
        publish_results(event=event)


def test_publish_opens_the_window_on_the_latest_run(computed):
    event, run = computed
    now = timezone.now()
    publication = publish_results(event=event, days=5, now=now)
    assert (publication.run, publication.notice_ends - publication.notice_starts) == (
        run,
        dt.timedelta(days=5),
    )
    assert AuditLog.objects.filter(event=event, action="results.publish").count() == 1


def test_public_lists_hold_the_chosen_entries_with_overrides_applied(computed):
    event, run = computed
    publication = publish_results(event=event)
    lists = dict((c.name, rows) for c, rows in public_lists(publication))
    assert (len(lists["QC成果"]), len(lists["质量品牌故事"])) == (6, 2)
    out = Result.objects.filter(run=run, decision=Decision.NONE).first()
    create_override(
        event=event,
        submission=out.submission,
        decision="benchmark",
        reason="异议成立",
        user=UserFactory(),
    )
    lists = dict((c.name, rows) for c, rows in public_lists(publication))
    assert out.submission.code in [r.code for r in lists[out.submission.category.name]]


def test_public_lists_search(computed):
    event, run = computed
    publication = publish_results(event=event)
    chosen = Result.objects.filter(run=run, decision=Decision.BENCHMARK).first().submission
    rows = [r for _, rs in public_lists(publication, query=chosen.title) for r in rs]
    assert [r.code for r in rows] == [chosen.code]


def test_objection_is_signed_and_only_inside_the_window(computed, filer):
    event, run = computed
    code = Result.objects.filter(run=run).first().submission.code
    with pytest.raises(AwardError, match="当前不在公示期内"):
        file_objection(
            event=event,
            code=code,
            name="张三",
            unit="某厂",
            contact="138",
            grounds="理由",
            filed_by=filer,
        )
    publish_results(event=event)
    with pytest.raises(AwardError, match="请填写姓名、联系方式"):
        file_objection(
            event=event,
            code=code,
            name=" ",
            unit="某厂",
            contact="",
            grounds="理由",
            filed_by=filer,
        )
    with pytest.raises(AwardError, match="没有编号为 XX-1 的成果"):
        file_objection(
            event=event,
            code="XX-1",
            name="张三",
            unit="某厂",
            contact="138",
            grounds="理由",
            filed_by=filer,
        )
    objection = file_objection(
        event=event,
        code=code,
        name="张三",
        unit="某厂",
        contact="13800000000",
        grounds="成果数据与现场不符",
        evidence=SimpleUploadedFile("evidence.pdf", b"%PDF-1.4"),
        filed_by=filer,
    )
    assert objection.evidence.name.startswith(f"objections/{event.pk}/")


def test_finalize_waits_for_the_window_and_the_answers(computed, filer):
    event, run = computed
    now = timezone.now()
    publish_results(event=event, days=5, now=now)
    code = Result.objects.filter(run=run).first().submission.code
    objection = file_objection(
        event=event,
        code=code,
        name="张三",
        unit="某厂",
        contact="138",
        grounds="理由",
        now=now,
        filed_by=filer,
    )
    with pytest.raises(AwardError, match="结束后才能定稿"):
        finalize_results(event=event, now=now + dt.timedelta(days=1))
    with pytest.raises(AwardError, match="还有 1 条异议尚未处理"):
        finalize_results(event=event, now=now + dt.timedelta(days=6))
    with pytest.raises(AwardError, match="请填写处理意见"):
        answer_objection(objection=objection, status="dismissed", answer="", user=UserFactory())
    answer_objection(
        objection=objection, status="dismissed", answer="经复核，评分无误", user=UserFactory()
    )
    publication = finalize_results(event=event, now=now + dt.timedelta(days=6))
    assert publication.is_final
    assert Objection.objects.get(pk=objection.pk).status == "dismissed"
    with pytest.raises(AwardError, match="已定稿"):
        start_award_run(event=event)
    with pytest.raises(AwardError, match="已定稿"):
        publish_results(event=event)
    with pytest.raises(AwardError, match="已定稿"):
        create_override(
            event=event,
            submission=objection.submission,
            decision="none",
            reason="x",
            user=UserFactory(),
        )


def test_execute_is_idempotent_for_a_finished_run(computed):
    event, run = computed
    again = execute_award_run(run_id=run.pk)
    assert (again.digest, AwardRun.objects.count()) == (run.digest, 1)


def test_public_results_list_is_shared_for_a_few_seconds(computed, client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    settings.QCX_PUBLIC_CACHE_SECONDS = 15
    event, _run = computed
    publication = publish_results(event=event)
    url = reverse("awards_public:results", args=[event.slug])
    with CaptureQueriesContext(connection) as first:
        page = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as second:
        again = client.get(url).content.decode()
    chosen = [row for _category, rows in public_lists(publication) for row in rows]
    assert chosen and all(row.title in again for row in chosen)
    assert again.split("</form>")[-1] == page.split("</form>")[-1]
    assert len(second) < len(first)  # the lists' queries are not run again
    searched = client.get(url, {"q": chosen[0].title}).content.decode()
    assert chosen[0].title in searched
