"""Public certificate verification, reached from the QR code on every certificate."""

from django.shortcuts import render

from judging.documents.services import pending_revocation
from judging.enums import CertificateStatus
from judging.models import Certificate
from qcexchange.pagecache import certificate_version_keys, shared_page


@shared_page(certificate_version_keys)
def verify(request, code):
    """Show what a certificate says and whether it is valid or revoked."""
    certificate = (
        Certificate.objects.filter(verify_code=code.strip().upper()).select_related("event").first()
    )
    context = {"certificate": certificate, "code": code}
    if certificate is not None:
        reason = pending_revocation(certificate=certificate) or certificate.revoked_reason
        context.update(
            content=certificate.content,
            revoked=certificate.status == CertificateStatus.REVOKED or bool(reason),
            reason=reason,
        )
    return render(
        request, "judging/verify/certificate.html", context, status=200 if certificate else 404
    )
