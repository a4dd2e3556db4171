"""Look-ups compiled once (qcexchange.prepared) answer exactly as the ORM's querysets do."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from judging.models import Recusal, ScoreLine
from qcexchange.prepared import Prepared
from submissions.models import Submission
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    JudgeFactory,
    SubmissionFactory,
    problem_solving_sheet,
)

pytestmark = pytest.mark.django_db


def entries(judge_id, event_id):
    return (
        Submission.objects.select_related("enterprise", "recommender")
        .annotate(
            recused=Exists(Recusal.objects.filter(judge_id=judge_id, submission_id=OuterRef("pk")))
        )
        .filter(event_id=event_id)
        .order_by("code")
    )


ENTRIES = Prepared(entries, "judge_id", "event_id")
FIRST_ENTRY = Prepared(lambda judge_id, event_id: entries(judge_id, event_id)[:1], *ENTRIES.names)


@pytest.fixture
def world():
    category = CategoryFactory()
    event = category.event
    judge = JudgeFactory(event=event)
    first = SubmissionFactory(
        category=category, code="QC-001", enterprise=EnterpriseFactory(name="甲机械有限公司")
    )
    second = SubmissionFactory(category=category, code="QC-002", completing_units="乙厂；丙厂")
    Recusal.objects.create(judge=judge, submission=second, source="manual", reason="曾指导该小组")
    other = CategoryFactory()
    SubmissionFactory(category=other, code="QC-003")  # another event's entry
    return event, judge, first, second


def test_rows_objects_and_annotations_are_the_orms(world):
    event, judge, first, second = world
    expected = list(entries(judge.pk, event.pk))
    with CaptureQueriesContext(connection) as queries:
        got = ENTRIES.all(judge_id=judge.pk, event_id=event.pk)
    assert len(queries) == 1  # the entries, their enterprises and recommenders at once
    assert [e.pk for e in got] == [first.pk, second.pk] == [e.pk for e in expected]
    for mine, theirs in zip(got, expected, strict=True):
        for field in Submission._meta.concrete_fields:
            assert getattr(mine, field.attname) == getattr(theirs, field.attname), field.name
        assert mine.recused == theirs.recused
        assert mine._state.adding is False and mine._state.db == "default"
    with CaptureQueriesContext(connection) as queries:
        assert got[0].enterprise.name == "甲机械有限公司"
        assert got[0].recommender is None
    assert len(queries) == 0  # loaded with the row, as select_related does
    assert (got[0].recused, got[1].recused) == (False, True)
    assert got[1].completing_units == "乙厂；丙厂"


def test_first_sends_new_values_each_time_and_none_when_nothing_matches(world):
    event, judge, first, second = world
    assert FIRST_ENTRY.first(judge_id=judge.pk, event_id=event.pk).pk == first.pk
    other = JudgeFactory(event=event)
    assert FIRST_ENTRY.first(judge_id=other.pk, event_id=event.pk).recused is False
    assert FIRST_ENTRY.first(judge_id=judge.pk, event_id=event.pk + 1000) is None
    with pytest.raises(TypeError, match="expected the values"):
        FIRST_ENTRY.first(judge_id=judge.pk)


def test_values_are_converted_as_the_orm_converts_them(world):
    event, judge, first, _second = world
    sheet = problem_solving_sheet(first.category)
    from judging.models import Scorecard

    card = Scorecard.objects.create(
        judge=judge, submission=first, sheet=sheet, total=Decimal("12.5")
    )
    for item, points in zip(sheet.items.order_by("order"), ["12", "16.5"], strict=False):
        ScoreLine.objects.create(card=card, item=item, points=Decimal(points))
    lines = Prepared(
        lambda card_id: ScoreLine.objects.select_related("item").filter(card_id=card_id),
        "card_id",
    ).all(card_id=card.pk)
    assert [(line.item.code, line.points) for line in lines] == [
        ("B1", Decimal("12.00")),
        ("B2", Decimal("16.50")),
    ]
    assert all(isinstance(line.points, Decimal) for line in lines)


def test_a_uuid_is_sent_as_the_database_keeps_it(world):
    import uuid

    from judging.models import Scorecard

    event, judge, first, _second = world
    sheet = problem_solving_sheet(first.category)
    client_id = uuid.uuid4()
    card = Scorecard.objects.create(judge=judge, submission=first, sheet=sheet, client_id=client_id)
    by_client = Prepared(
        lambda client_id: Scorecard.objects.select_related("judge").filter(client_id=client_id),
        "client_id",
        uuids=("client_id",),
    )
    for given in (client_id, str(client_id)):
        (found,) = by_client.all(client_id=given)
        assert (found.pk, found.client_id, found.judge.code) == (card.pk, client_id, judge.code)
    assert by_client.all(client_id=uuid.uuid4()) == []


def test_a_value_that_does_not_reach_the_query_is_refused(world):
    event, judge, *_ = world
    odd = Prepared(lambda judge_id, event_id: entries(0, event_id), "judge_id", "event_id")
    with pytest.raises(ValueError, match="judge_id"):
        odd.all(judge_id=judge.pk, event_id=event.pk)


@pytest.mark.django_db(transaction=True)
def test_each_thread_compiles_for_its_own_connection(world):
    event, judge, first, _second = world
    found = {}

    def look_up():
        try:
            found["thread"] = FIRST_ENTRY.first(judge_id=judge.pk, event_id=event.pk).pk
        finally:
            connection.close()

    FIRST_ENTRY.first(judge_id=judge.pk, event_id=event.pk)  # compiled in this thread first
    worker = threading.Thread(target=look_up)
    worker.start()
    worker.join()
    assert found["thread"] == first.pk
