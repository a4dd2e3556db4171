"""Backup and restore as the README describes: pg_dump, pg_restore into a fresh database,
and every card, line and ledger entry found again (verify_ledger passes on the copy)."""

import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.db import connection

from judging.enums import CardStatus
from judging.models import LedgerEntry, Scorecard, ScoreLine
from judging.scoring.chairs import lock_venue
from judging.scoring.services import submit_scorecard
from tests.conftest import require_service
from tests.faults.services import service_env, shared_database_url
from tests.judging.panel_setup import GOOD, build_panel

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def psql_value(url: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", url, "-tAc", sql], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.strip()


def test_dump_restored_into_a_fresh_database_keeps_every_card_and_the_ledger(tmp_path, settings):
    source = shared_database_url()
    require_service(
        "PostgreSQL with pg_dump and pg_restore",
        source is not None and shutil.which("pg_dump") and shutil.which("pg_restore"),
        "run the tests with DATABASE_URL=postgres://… and install postgresql-client",
    )
    panel = build_panel(judges=3, entries=3)
    for entry in panel.entries:
        for judge in panel.judges:
            submit_scorecard(judge=judge, submission=entry, points=GOOD)
    lock_venue(venue=panel.venue, actor=panel.chair.user)
    attachment = Path(settings.MEDIA_ROOT) / "attachments" / "report.pdf"
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes(b"%PDF-1.4 a judged entry's report")
    cards = sorted(Scorecard.objects.filter(status=CardStatus.SUBMITTED).values_list("pk", "total"))
    assert len(cards) == 9

    # Backup: the database in custom format, the media folder as a tarball.
    dump = tmp_path / "qcexchange.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", source], check=True)
    with tarfile.open(tmp_path / "media.tar.gz", "w:gz") as tar:
        tar.add(settings.MEDIA_ROOT, arcname="media")

    # Restore into a fresh database and a fresh media folder.
    name = f"qcx_restore_{uuid.uuid4().hex[:8]}"
    server = source.rsplit("/", 1)[0]
    restored = f"{server}/{name}"
    subprocess.run(["createdb", f"--maintenance-db={server}/postgres", name], check=True)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump)],
            check=True,
        )
        media = tmp_path / "restored"
        with tarfile.open(tmp_path / "media.tar.gz") as tar:
            tar.extractall(media, filter="data")
        assert (media / "media" / "attachments" / "report.pdf").read_bytes() == (
            attachment.read_bytes()
        )

        rows = psql_value(
            restored,
            "SELECT string_agg(id || ':' || total, ',' ORDER BY id) FROM judging_scorecard "
            "WHERE status = 'submitted'",
        )
        assert rows == ",".join(f"{pk}:{total}" for pk, total in cards)
        assert psql_value(restored, "SELECT count(*) FROM judging_scoreline") == str(
            ScoreLine.objects.count()
        )
        assert psql_value(restored, "SELECT count(*) FROM judging_ledgerentry") == str(
            LedgerEntry.objects.count()
        )
        check = subprocess.run(
            [sys.executable, "manage.py", "verify_ledger", panel.event.slug],
            cwd=ROOT, env=service_env(DATABASE_URL=restored), capture_output=True, text=True,
        )  # fmt: skip
        assert check.returncode == 0, check.stdout + check.stderr
        assert "9 张评分卡与账本一致" in check.stdout
    finally:
        connection.close()
        subprocess.run(
            ["dropdb", "--force", f"--maintenance-db={server}/postgres", name], check=True
        )
