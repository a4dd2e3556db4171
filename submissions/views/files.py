"""Serving stored attachments: callers check the permission first, then return this response."""

from django.http import FileResponse

from ..filetypes import PDF
from ..models import Attachment


def attachment_response(attachment: Attachment) -> FileResponse:
    """Return the file with its original name; PDFs inline, anything else as a download."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=attachment.content_type != PDF,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
