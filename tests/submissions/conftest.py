"""Fixtures of the submissions tests: an event with an open window, files of each kind."""

import datetime as dt
import io
import zipfile

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import CategoryFactory, EventFactory, MembershipFactory

PPTX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/ppt/presentation.xml" ContentType="{main}"/></Types>'
)


def pdf_bytes() -> bytes:
    """Return a real one-page PDF."""
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(buffer)
    return buffer.getvalue()


def pptx_bytes(*, macro: bool = False) -> bytes:
    main = (
        "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"
        if macro
        else "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", PPTX_TYPES.format(main=main))
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
        if macro:
            archive.writestr("ppt/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def event(db):
    now = timezone.now()
    event = EventFactory(
        slug="cmqa-test",
        submission_opens=now - dt.timedelta(days=10),
        submission_closes=now + dt.timedelta(days=10),
    )
    CategoryFactory(event=event, kind="qc", name="QC成果", code_prefix="QC", order=1)
    CategoryFactory(
        event=event,
        kind="team",
        name="质量信得过班组",
        code_prefix="TD",
        honour="质量信得过班组标杆",
        min_members=1,
        max_members=30,
        order=2,
    )
    CategoryFactory(
        event=event,
        kind="story",
        name="质量品牌故事",
        code_prefix="PP",
        honour="质量品牌故事标杆",
        min_members=1,
        max_members=10,
        order=3,
    )
    return event


@pytest.fixture
def membership(db):
    return MembershipFactory(is_admin=True)


@pytest.fixture
def portal_client(client, membership):
    client.force_login(membership.user)
    return client


@pytest.fixture
def organizer(event):
    from tests.factories import UserFactory

    user = UserFactory(username="orga", is_staff=True)
    event.staff.add(user)
    return user
