"""Badges: rendered through the task pipeline in chunks and merged into one PDF."""

import io
import subprocess

import pikepdf
import pytest
from django.core.management import call_command
from django.test import override_settings

from judging.documents.badge_services import latest_badges
from submissions.models import Delegate
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(QCX_CERTIFICATE_CHUNK=2)
def test_render_badges_chunks_and_merges_one_page_per_delegate(tmp_path):
    event = EventFactory(slug="badges-ev")
    for n in range(3):
        Delegate.objects.create(
            event=event, name=f"王{n}", organization="一汽解放", mobile=f"1380000{n:04d}"
        )
    Delegate.objects.create(
        event=event, name="作废", organization="x", mobile="13900000000", revoked=True
    )

    call_command("render_badges", "badges-ev", stdout=io.StringIO())

    job = latest_badges(event=event)
    data = job.output.read()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 3
    path = tmp_path / "b.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    flat = text.replace(" ", "")
    assert "王0" in flat and "代表" in flat and "作废" not in flat
    assert (job.done, job.total) == (3, 3)
