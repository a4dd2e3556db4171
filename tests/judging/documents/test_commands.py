"""render_certificates and render_report from the command line (tasks run in-process)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from judging.models import Certificate, Publication
from tests.judging.documents_data import published_event

pytestmark = pytest.mark.django_db(transaction=True)


def test_render_certificates_command_renders_and_summarises():
    event, _ = published_event()
    out = StringIO()
    call_command("render_certificates", event.slug, "--timeout", "120", stdout=out)
    assert "有效证书共 5 张" in out.getvalue()
    assert Certificate.objects.filter(event=event).exclude(file="").count() == 5
    out = StringIO()
    call_command("render_certificates", event.slug, "--timeout", "120", stdout=out)
    assert "本次生成 0 张" in out.getvalue()


def test_render_certificates_command_without_publication_fails_with_reason():
    event, _ = published_event()
    Publication.objects.filter(event=event).delete()
    with pytest.raises(CommandError, match="尚未公示"):
        call_command("render_certificates", event.slug)


def test_render_certificates_command_unknown_event():
    with pytest.raises(CommandError, match="找不到活动“nope”"):
        call_command("render_certificates", "nope")


def test_render_report_command_saves_a_copy(tmp_path):
    event, _ = published_event()
    target = tmp_path / "report.pdf"
    call_command("render_report", event.slug, "--output", str(target), stdout=StringIO())
    assert target.read_bytes()[:5] == b"%PDF-"
