"""PostgreSQL drops the app's connections (as a server restart does) while judges submit.

gunicorn serves the app against the test database with one worker and one thread, so one
persistent connection (CONN_MAX_AGE with CONN_HEALTH_CHECKS); a second connection
terminates it with pg_terminate_backend.
"""

import threading
import uuid

import psycopg2
import pytest
from django.db import connection

from judging.enums import CardStatus
from judging.models import LedgerEntry, Scorecard, ScoreLine
from judging.scoring.ledger import verify_ledger
from tests.conftest import require_service
from tests.faults.services import Gunicorn, service_env, shared_database_url, wait_for
from tests.judging.panel_setup import GOOD, build_panel

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def web(tmp_path, settings):
    database_url = shared_database_url()
    require_service(
        "PostgreSQL for the app under gunicorn",
        database_url is not None,
        "run the tests with DATABASE_URL=postgres://…",
    )
    server = Gunicorn(
        service_env(DATABASE_URL=database_url, MEDIA_ROOT=str(settings.MEDIA_ROOT)),
        tmp_path / "gunicorn.log",
    )
    yield server
    server.stop()


def terminate_other_backends() -> int:
    """Drop every connection to the test database but this test's own; return how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def post_card(http, base, entry, client_id):
    return http.post(
        base + "/api/judge/scorecards/",
        json={"submission": entry.pk, "client_id": str(client_id), "points": GOOD},
        timeout=30,
    )


def test_app_recovers_from_dropped_connections_without_a_restart(web, client):
    panel = build_panel(judges=2, entries=2)
    judge = panel.judges[1]
    http = web.session_for(client, judge.user)
    assert http.get(web.base + "/judge/", timeout=10).status_code == 200

    assert terminate_other_backends() >= 1
    assert http.get(web.base + "/judge/", timeout=10).status_code == 200
    assert post_card(http, web.base, panel.entries[0], uuid.uuid4()).status_code == 201

    assert terminate_other_backends() >= 1
    assert web.process.poll() is None  # the same gunicorn, never restarted
    assert post_card(http, web.base, panel.entries[1], uuid.uuid4()).status_code == 201
    assert http.get(web.base + "/healthz", timeout=10).json()["database"] == "ok"
    assert Scorecard.objects.filter(judge=judge, status=CardStatus.SUBMITTED).count() == 2


def test_submit_cut_off_mid_transaction_leaves_no_partial_card(web, client):
    panel = build_panel(judges=2, entries=1)
    judge, entry = panel.judges[1], panel.entries[0]
    http = web.session_for(client, judge.user)
    assert http.get(web.base + "/judge/", timeout=10).status_code == 200
    entries_before = LedgerEntry.objects.filter(event=panel.event).count()

    # Hold the event row the ledger append locks: the submit writes its card and lines,
    # then waits inside its transaction until its connection is dropped.
    params = connection.get_connection_params()
    blocker = psycopg2.connect(**params)
    cursor = blocker.cursor()
    cursor.execute("SELECT id FROM events_event WHERE id = %s FOR UPDATE", [panel.event.pk])
    client_id = uuid.uuid4()
    outcome = {}
    thread = threading.Thread(
        target=lambda: outcome.update(response=post_card(http, web.base, entry, client_id))
    )
    thread.start()
    try:

        def waiting_backend():
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            row = cursor.fetchone()
            return row[0] if row else None

        pid = wait_for(waiting_backend, 20, "the submit to wait inside its transaction")
        cursor.execute(
            "SELECT count(*) FROM judging_scoreline l JOIN judging_scorecard c ON c.id = l.card_id "
            "WHERE c.judge_id = %s",
            [judge.pk],
        )
        assert cursor.fetchone()[0] == 0  # its lines are written but not visible outside
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        thread.join(30)
    finally:
        blocker.rollback()
        blocker.close()
    assert outcome["response"].status_code == 500

    assert not Scorecard.objects.filter(judge=judge, submission=entry).exists()
    assert not ScoreLine.objects.filter(card__judge=judge).exists()
    assert LedgerEntry.objects.filter(event=panel.event).count() == entries_before

    # The tablet sends the same card again: stored once, lines and ledger entry complete.
    retry = post_card(http, web.base, entry, client_id)
    assert retry.status_code == 201, retry.text
    card = Scorecard.objects.get(judge=judge, submission=entry)
    assert (card.status, card.client_id) == (CardStatus.SUBMITTED, client_id)
    assert card.lines.count() == 6
    assert LedgerEntry.objects.filter(card=card).count() == 1
    assert verify_ledger(panel.event).ok
