"""Issuing, numbering, revoking and rendering certificates from published results."""

import subprocess

import pytest
from django.utils import timezone, translation

from judging.documents import certificate_files, services
from judging.models import Certificate, Override, Publication, RenderJob
from tests.judging.documents_data import ENTERPRISE, published_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def render(django_capture_on_commit_callbacks):
    """Render an event's certificates, running the queued Celery tasks (eager)."""

    def run(event):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.render_certificates(event=event)
        job.refresh_from_db()
        return job

    return run


def text_of(cert) -> str:
    with cert.file.open("rb") as handle:
        data = handle.read()
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_issue_certificates_one_per_benchmark_group_and_member():
    event, _ = published_event()
    summary = services.issue_certificates(event=event)
    certs = list(Certificate.objects.filter(event=event).order_by("number"))
    # QC-001 (2 members) and QC-002 (1 member) are benchmarks; QC-003 is not.
    assert summary.created == 5
    assert [c.number for c in certs] == [
        "CMQA-2021-QC-0001",
        "CMQA-2021-QC-0002",
        "CMQA-2021-QCM-0001",
        "CMQA-2021-QCM-0002",
        "CMQA-2021-QCM-0003",
    ]
    assert {c.submission.code for c in certs} == {"QC-001", "QC-002"}
    first = certs[0]
    assert first.honour == "2021年机械工业QC成果标杆"
    assert first.content["enterprise"] == ENTERPRISE
    assert first.content["issuing_body"] == "中国机械工业质量管理协会"
    assert first.content["verify_url"].endswith(f"/verify/{first.verify_code}/")


def test_issue_certificates_keeps_numbers_and_codes_when_run_again():
    event, _ = published_event()
    services.issue_certificates(event=event)
    before = dict(Certificate.objects.values_list("number", "verify_code"))
    summary = services.issue_certificates(event=event)
    assert dict(Certificate.objects.values_list("number", "verify_code")) == before
    assert (summary.created, summary.updated, summary.revoked) == (0, 0, 0)


def test_issue_certificates_without_publication_explains():
    event, _ = published_event()
    Publication.objects.filter(event=event).delete()
    with pytest.raises(services.CertificateError, match="尚未公示"):
        services.issue_certificates(event=event)


def test_issue_certificates_revokes_after_override_with_reason():
    event, results = published_event()
    services.issue_certificates(event=event)
    Override.objects.create(
        event=event,
        submission=results[1].submission,
        decision="none",
        reason="异议成立：成果数据不实",
        created_by=event.staff.first(),
    )
    summary = services.issue_certificates(event=event)
    revoked = Certificate.objects.filter(event=event, status="revoked")
    assert summary.revoked == 2  # the group and its one member
    assert {c.submission.code for c in revoked} == {"QC-002"}
    assert all(c.revoked_reason == "评审委员会审定变更：异议成立：成果数据不实" for c in revoked)


def test_render_certificates_renders_every_valid_certificate_once(render):
    event, _ = published_event()
    job = render(event)
    assert (job.status, job.done, job.total) == ("done", 5, 5)
    assert job.message == "有效证书 5 张（新增 5，内容变化 0，撤销 0）；需要生成 5 张；已生成 5 张"
    certs = Certificate.objects.filter(event=event)
    assert all(c.file and c.rendered_hash == c.content_hash for c in certs)
    member = certs.get(member__name="欧阳建华")
    text = text_of(member)
    assert "欧阳建华" in text
    assert member.number in text
    assert member.verify_code in text


def test_render_job_speaks_the_language_of_the_request_that_queued_it(
    english_catalogue, django_capture_on_commit_callbacks
):
    """The worker has no request: the job's language travels with its tasks."""
    event, _ = published_event()
    with django_capture_on_commit_callbacks() as queued:
        with translation.override("en"):
            job = services.render_certificates(event=event)
    assert job.message == "Checking the list of awards"
    with django_capture_on_commit_callbacks(execute=True):  # and the chunks they queue
        for callback in queued:
            callback()
    job.refresh_from_db()
    assert (job.status, job.message) == (
        "done",
        "5 valid certificates (5 new, 0 changed, 0 revoked); 5 to generate; 5 generated",
    )


def test_render_certificates_again_renders_only_what_changed(render):
    event, _ = published_event()
    render(event)
    rendered_at = dict(Certificate.objects.values_list("number", "rendered_at"))
    submission = Certificate.objects.get(number="CMQA-2021-QC-0002").submission
    submission.title = "提高汽缸中分面一次密封合格率（修订）"
    submission.save()
    job = render(event)
    assert (job.total, job.done, job.status) == (2, 2, "done")  # the group and its member
    after = dict(Certificate.objects.values_list("number", "rendered_at"))
    changed = {number for number in after if after[number] != rendered_at[number]}
    assert changed == {"CMQA-2021-QC-0002", "CMQA-2021-QCM-0003"}
    assert "（修订）" in text_of(Certificate.objects.get(number="CMQA-2021-QC-0002"))


def test_render_certificate_chunk_delivered_twice_renders_nothing_twice():
    event, _ = published_event()
    services.issue_certificates(event=event)
    ids = list(Certificate.objects.values_list("pk", flat=True))
    job = RenderJob.objects.create(
        event=event, kind="certificates", total=len(ids), status="running"
    )
    assert certificate_files.render_certificate_chunk(job_id=job.pk, certificate_ids=ids) == 5
    assert certificate_files.render_certificate_chunk(job_id=job.pk, certificate_ids=ids) == 0
    job.refresh_from_db()
    assert (job.done, job.status) == (5, "done")


def test_write_zip_names_files_by_enterprise_and_number(tmp_path, render):
    import zipfile

    event, _ = published_event()
    render(event)
    target = tmp_path / "all.zip"
    count = certificate_files.write_zip(
        Certificate.objects.filter(event=event).order_by("number"), target
    )
    names = zipfile.ZipFile(target).namelist()
    assert count == 5
    assert f"{ENTERPRISE}/CMQA-2021-QCM-0001-欧阳建华.pdf" in names


def test_preview_design_renders_a_sample(tmp_path):
    from judging.models import CertificateDesign

    event, _ = published_event()
    design = CertificateDesign.objects.create(
        event=event,
        audience="member",
        wording="{member}同志在{enterprise}{group}的成果《{title}》中作出贡献，被评为",
        issuing_body="中国机械工业质量管理协会",
        issue_date=timezone.localdate(),
    )
    pdf = certificate_files.preview_design(design=design)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode()
    assert "张三" in text
    assert "PREVIEW000" in text


def test_design_wording_seal_and_background_reach_the_certificate(render):
    import io

    import pikepdf
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from judging.documents.certificates import seal_png
    from judging.models import CertificateDesign

    event, _ = published_event()
    background = io.BytesIO()
    Image.new("RGB", (600, 420), (250, 244, 228)).save(background, format="PNG")
    CertificateDesign.objects.create(
        event=event,
        audience="group",
        title="荣誉证书",
        wording="经评审，{enterprise}{group}的成果《{title}》被评为",
        issuing_body="中国质量协会",
        issue_date=timezone.datetime(2021, 10, 8).date(),
        seal=SimpleUploadedFile("seal.png", seal_png("中国质量协会")),
        background=SimpleUploadedFile("bg.png", background.getvalue()),
    )
    render(event)
    cert = Certificate.objects.get(number="CMQA-2021-QC-0001")
    text = text_of(cert).replace("\n", "")
    assert "经评审，" in text and "中国质量协会" in text and "2021年10月8日" in text
    with cert.file.open("rb") as handle, pikepdf.open(io.BytesIO(handle.read())) as pdf:
        images = [
            obj for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        ]  # fmt: skip
    widths = sorted(int(image.Width) for image in images)
    assert 600 in widths and 300 in widths  # the background and the seal
    member = Certificate.objects.get(number="CMQA-2021-QCM-0001")  # no member design: defaults
    assert "中国机械工业质量管理协会" in text_of(member)
