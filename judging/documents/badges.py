"""Badge rendering: A6 badges with a QR code of the check-in code, one PDF per chunk.

Plain values in, PDF bytes out, like the certificates: a chunk of badges is one WeasyPrint
document (fonts embedded once), printed as it is; no per-badge split is needed because a
badge is never handed out as a file of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from judging.documents.certificates import FONT_FAMILY, font_config

KIND_COLOURS = {"delegate": "#1f4e8c", "guest": "#b01c24", "judge": "#2e7d32", "staff": "#6d4c41"}


@dataclass(frozen=True)
class BadgeData:
    """What one badge says."""

    name: str
    organization: str
    kind: str  # a DelegateKind key
    kind_label: str
    code: str
    event_name: str
    sessions: str = ""


def qr_png_uri(code: str) -> str:
    """Return the QR code of a check-in code as a small PNG data URI."""
    import segno

    return segno.make(code, error="m", micro=False).png_data_uri(scale=4, border=1)


def badges_html(badges: Sequence[BadgeData]) -> str:
    """Return the HTML of a document with one A6 page per badge."""
    from django.template.loader import render_to_string

    pages = [
        {"b": badge, "qr": qr_png_uri(badge.code), "colour": KIND_COLOURS.get(badge.kind, "#333")}
        for badge in badges
    ]
    css = render_to_string("judging/badges/badge.css", {"font_family": FONT_FAMILY})
    return render_to_string("judging/badges/document.html", {"pages": pages, "css": css})


def render_badges(badges: Sequence[BadgeData]) -> bytes:
    """Render badges as one multi-page PDF (A6, one badge per page)."""
    from weasyprint import HTML

    if not badges:
        return b""
    html = HTML(string=badges_html(badges), base_url="/")
    return html.write_pdf(font_config=font_config(), optimize_images=True)


def merge_pdfs(parts: Sequence[bytes]) -> bytes:
    """Concatenate PDFs into one file for printing."""
    import io

    import pikepdf

    with pikepdf.new() as merged:
        for part in parts:
            with pikepdf.open(io.BytesIO(part)) as pdf:
                merged.pages.extend(pdf.pages)
        out = io.BytesIO()
        merged.save(out)
    return out.getvalue()
