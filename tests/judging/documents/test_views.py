"""Verification page, organizer documents page, downloads and their permission edges."""

import zipfile
from io import BytesIO

import pytest
from django.urls import reverse

from judging.documents import services
from judging.models import Certificate, Override
from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory
from tests.judging.documents_data import ENTERPRISE, published_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered(django_capture_on_commit_callbacks):
    event, results = published_event()
    with django_capture_on_commit_callbacks(execute=True):
        services.render_certificates(event=event)
    return event, results


def body(response) -> str:
    return b"".join(
        response.streaming_content if response.streaming else [response.content]
    ).decode(errors="replace")


def test_verify_shows_a_valid_certificate(client, rendered):
    cert = Certificate.objects.get(number="CMQA-2021-QCM-0001")
    response = client.get(reverse("judging_documents:verify", args=[cert.verify_code]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "有效证书" in text and "欧阳建华" in text and ENTERPRISE in text
    assert "2021年机械工业QC成果标杆" in text


def test_verify_accepts_lower_case_codes(client, rendered):
    cert = Certificate.objects.first()
    response = client.get(reverse("judging_documents:verify", args=[cert.verify_code.lower()]))
    assert response.status_code == 200


def test_verify_shows_revocation_and_its_reason(client, rendered):
    event, results = rendered
    Override.objects.create(
        event=event,
        submission=results[0].submission,
        decision="none",
        reason="异议成立",
        created_by=event.staff.first(),
    )
    services.issue_certificates(event=event)
    cert = Certificate.objects.get(number="CMQA-2021-QC-0001")
    text = client.get(reverse("judging_documents:verify", args=[cert.verify_code])).content.decode()
    assert "证书已撤销" in text and "评审委员会审定变更：异议成立" in text


def test_verify_unknown_code_answers_404_with_explanation(client, rendered):
    response = client.get(reverse("judging_documents:verify", args=["NOSUCHCODE"]))
    assert response.status_code == 404
    assert "没有对应的证书" in response.content.decode()


def test_documents_page_shows_progress_for_organizer(client, rendered):
    event, _ = rendered
    client.force_login(event.staff.first())
    response = client.get(reverse("judging_documents:documents", args=[event.slug]))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'role="progressbar"' in text and "100%" in text


def test_documents_page_of_another_event_is_404(client, rendered):
    event, _ = rendered
    client.force_login(UserFactory(username="stranger"))
    response = client.get(reverse("judging_documents:documents", args=[event.slug]))
    assert response.status_code == 404


def test_start_certificates_records_audit_and_redirects(client, rendered):
    from events.models import AuditLog

    event, _ = rendered
    client.force_login(event.staff.first())
    response = client.post(reverse("judging_documents:start_certificates", args=[event.slug]))
    assert response.status_code == 302
    assert AuditLog.objects.filter(event=event, action="render_certificates").count() == 1


def test_all_zip_holds_every_valid_certificate(client, rendered):
    event, _ = rendered
    client.force_login(event.staff.first())
    response = client.get(reverse("judging_documents:all_zip", args=[event.slug]))
    archive = zipfile.ZipFile(BytesIO(b"".join(response.streaming_content)))
    assert len(archive.namelist()) == 5


def test_enterprise_downloads_its_certificates_once_final(client, rendered):
    event, _ = rendered
    user = MembershipFactory(enterprise=Certificate.objects.first().submission.enterprise).user
    client.force_login(user)
    listing = client.get(reverse("judging_documents:portal_certificates")).content.decode()
    own = Certificate.objects.get(number="CMQA-2021-QC-0001")
    assert own.number in listing
    assert "CMQA-2021-QC-0002" not in listing  # another enterprise's
    pdf = client.get(reverse("judging_documents:certificate_pdf", args=[own.verify_code]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    other = Certificate.objects.get(number="CMQA-2021-QC-0002")
    response = client.get(reverse("judging_documents:certificate_pdf", args=[other.verify_code]))
    assert response.status_code == 404
    archive = client.get(reverse("judging_documents:portal_zip", args=[event.slug]))
    names = zipfile.ZipFile(BytesIO(b"".join(archive.streaming_content))).namelist()
    assert len(names) == 3  # the group and its two members


def test_enterprise_cannot_download_before_results_are_final(
    client, django_capture_on_commit_callbacks
):
    event, _ = published_event(final=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.render_certificates(event=event)
    own = Certificate.objects.get(number="CMQA-2021-QC-0001")
    client.force_login(MembershipFactory(enterprise=own.submission.enterprise).user)
    response = client.get(reverse("judging_documents:certificate_pdf", args=[own.verify_code]))
    assert response.status_code == 404
    assert (
        own.number
        not in client.get(reverse("judging_documents:portal_certificates")).content.decode()
    )


def test_portal_without_enterprise_is_404(client):
    client.force_login(UserFactory(username="nobody"))
    EnterpriseFactory()
    assert client.get(reverse("judging_documents:portal_certificates")).status_code == 404


def test_design_preview_in_admin_returns_pdf(admin_client, rendered):
    from django.utils import timezone

    from judging.models import CertificateDesign

    event, _ = rendered
    design = CertificateDesign.objects.create(
        event=event, audience="group", issuing_body="中国机械工业质量管理协会",
        issue_date=timezone.localdate(),
    )  # fmt: skip
    response = admin_client.get(
        reverse("admin:judging_certificatedesign_preview", args=[design.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-"


def test_verify_shows_revocation_as_soon_as_the_committee_decides(client, rendered):
    event, results = rendered
    cert = Certificate.objects.get(number="CMQA-2021-QC-0002")
    Override.objects.create(
        event=event,
        submission=results[1].submission,
        decision="none",
        reason="异议成立：效益数据未经财务确认",
        created_by=event.staff.first(),
    )
    text = client.get(reverse("judging_documents:verify", args=[cert.verify_code])).content.decode()
    assert "证书已撤销" in text and "效益数据未经财务确认" in text
    assert "有效证书" not in text


def test_job_progress_partial_polls_while_running(client, rendered):
    from judging.models import RenderJob

    event, _ = rendered
    job = RenderJob.objects.create(
        event=event, kind="certificates", status="running", total=10, done=4
    )
    client.force_login(event.staff.first())
    text = client.get(
        reverse("judging_documents:job_progress", args=[event.slug, job.pk])
    ).content.decode()
    assert 'hx-trigger="every 2s"' in text and "4/10" in text and "width: 40%" in text
    job.status, job.done = "done", 10
    job.save()
    text = client.get(
        reverse("judging_documents:job_progress", args=[event.slug, job.pk])
    ).content.decode()
    assert "hx-trigger" not in text and "100%" in text


def test_start_certificates_before_publication_says_why(client):
    from judging.models import Publication

    event, _ = published_event()
    Publication.objects.filter(event=event).delete()
    client.force_login(event.staff.first())
    response = client.post(
        reverse("judging_documents:start_certificates", args=[event.slug]), follow=True
    )
    assert "评选结果尚未公示，不能生成证书" in response.content.decode()
