"""The report counts participation from registrations and check-ins, not typed integers."""

import subprocess

import pytest

from judging.documents import report_services as services
from judging.models import Showcase
from judging.people.services import check_in
from submissions.models import Delegate
from tests.factories import JudgeFactory
from tests.judging.documents_data import published_event


@pytest.mark.django_db
def test_report_pdf_shows_participation_from_records(django_capture_on_commit_callbacks):
    event, results = published_event()
    event.attendance, event.attending_organizations = 999, 888  # typed by hand: ignored
    event.save()
    people = [
        Delegate.objects.create(
            event=event, name=f"代表{n}", organization=f"单位{n % 3}", province="浙江",
            mobile=f"1380000{n:04d}",
        )
        for n in range(7)
    ]  # fmt: skip
    for person in people[:4]:
        check_in(event=event, code=person.checkin_code)
    Showcase.objects.create(
        event=event,
        submission=results[0].submission,
        order=1,
        judges_comment="数据翔实，逻辑清晰。",
        commenting_judge=JudgeFactory(event=event, name="周建国"),
    )

    with django_capture_on_commit_callbacks(execute=True):
        job = services.render_report(event=event)

    job.refresh_from_db()
    with job.output.open("rb") as handle:
        data = handle.read()
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True).stdout.decode()
    flat = text.replace("\n", "").replace(" ", "")
    assert "报名3家" in flat
    assert "报名7人，签到4人" in flat
    assert "专家点评（周建国）：数据翔实" in flat
    assert "999" not in flat
