"""Admin of the judging app."""

from . import admin_documents  # noqa: F401  (registers certificate designs, certificates, jobs)
