"""Public certificate verification, reached from the QR code on every certificate."""

from django.shortcuts import render

from ..models import Certificate


def verify(request, code):
    """Show what a certificate says and whether it is valid or revoked."""
    certificate = (
        Certificate.objects.filter(verify_code=code.strip().upper()).select_related("event").first()
    )
    status = 200 if certificate else 404
    return render(
        request,
        "judging/verify/certificate.html",
        {"certificate": certificate, "code": code, "content": certificate and certificate.content},
        status=status,
    )
