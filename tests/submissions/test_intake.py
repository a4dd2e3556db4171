"""Excel intake and export: all or nothing, row-numbered errors, matching, re-import, round trip."""

import dataclasses
import io

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from submissions import excel, excel_writer
from submissions.excel import EntryRow, MemberRow
from submissions.models import Enterprise, ImportJob, Member, RecommendingBody, Submission
from submissions.services.intake import (
    ImportRefused,
    create_import_job,
    export_workbook,
    import_workbook,
)
from tests.factories import EnterpriseFactory, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

MEMBERS = (
    MemberRow("张伟", "leader", "主任"),
    MemberRow("李娜", "deputy"),
    MemberRow("王强", "member"),
)


def entry(number: int, **changes) -> EntryRow:
    values = dict(
        category="qc",
        enterprise=f"第{number % 50}机械有限公司",
        group=f"精益{number}QC小组",
        title=f"降低不良率{number}",
        recommender=f"推荐单位{number % 7}",
        topic_type="onsite",
        members=MEMBERS,
        contact="张伟",
        phone="13800138000",
    )
    values.update(changes)
    return EntryRow(**values)


def workbook(entries) -> io.BytesIO:
    buffer = io.BytesIO()
    excel_writer.write_workbook(buffer, entries)
    buffer.seek(0)
    return buffer


def raw_workbook(rows) -> io.BytesIO:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("entries")
    sheet.append(excel_writer.header_row())
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_import_creates_enterprises_bodies_entries_and_members(event):
    summary = import_workbook(event=event, source=workbook([entry(1), entry(2), entry(51)]))
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    assert summary.enterprises_created == 2
    assert list(Submission.objects.order_by("code").values_list("code", "title", "status")) == [
        ("QC-001", "降低不良率1", "submitted"),
        ("QC-002", "降低不良率2", "submitted"),
        ("QC-003", "降低不良率51", "submitted"),
    ]
    assert Submission.objects.filter(enterprise__name="第1机械有限公司").count() == 2
    assert sorted(RecommendingBody.objects.values_list("name", flat=True)) == [
        "推荐单位1",
        "推荐单位2",
    ]
    assert list(
        Member.objects.filter(submission__code="QC-001").values_list(
            "order", "name", "role", "post"
        )
    ) == [
        (1, "张伟", "leader", "主任"),
        (2, "李娜", "deputy", ""),
        (3, "王强", "member", ""),
    ]


def test_reimport_updates_instead_of_duplicating(event):
    import_workbook(event=event, source=workbook([entry(1), entry(2)]))
    changed = [entry(1, group="改名QC小组"), entry(2), entry(3)]
    summary = import_workbook(event=event, source=workbook(changed))
    assert (summary.created, summary.updated, summary.unchanged) == (1, 1, 1)
    assert summary.enterprises_created == 1
    assert Submission.objects.count() == 3
    assert Submission.objects.get(title="降低不良率1").group_name == "改名QC小组"
    assert Member.objects.count() == 9


def test_enterprises_matched_by_credit_code_then_exact_name(event):
    by_code = EnterpriseFactory(name="杭州精工机械股份有限公司", credit_code="91330106MA2AB1C2XM")
    by_name = EnterpriseFactory(name="宁波轴承有限公司", credit_code=None)
    rows = [
        entry(1, enterprise="杭州精工机械有限公司（原名）", credit_code="91330106MA2AB1C2XM"),
        entry(2, enterprise="宁波轴承有限公司", credit_code="91350100M000100Y43"),
        entry(3, enterprise="全新企业有限公司"),
    ]
    summary = import_workbook(event=event, source=workbook(rows))
    assert summary.enterprises_created == 1
    assert Submission.objects.get(title="降低不良率1").enterprise == by_code
    assert Submission.objects.get(title="降低不良率2").enterprise == by_name
    by_name.refresh_from_db()
    assert by_name.credit_code == "91350100M000100Y43"
    assert Enterprise.objects.get(name="全新企业有限公司").credit_code is None


def test_existing_enterprise_name_with_other_credit_code_refused(event):
    EnterpriseFactory(name="宁波轴承有限公司", credit_code="91330106MA2AB1C2XM")
    with pytest.raises(ImportRefused) as refused:
        import_workbook(
            event=event,
            source=workbook(
                [entry(1, enterprise="宁波轴承有限公司", credit_code="91350100M000100Y43")]
            ),
        )
    assert [str(e) for e in refused.value.errors] == [
        "工作表“entries”第2行，C列“统一社会信用代码”：已登记的“宁波轴承有限公司”的统一社会信用代码为 91330106MA2AB1C2XM，与本行不一致"
    ]


def test_errors_at_rows_7_and_4012_both_reported_and_nothing_saved(event, capsys):
    rows = [excel_writer.entry_values(entry(n)) for n in range(2, 4200)]
    rows[7 - 2][5] = ""  # row 7: title missing
    rows[4012 - 2][2] = "91330106MA2AB1C2X0"  # row 4012: bad checksum
    path = raw_workbook(rows)
    before = Enterprise.objects.count()
    with pytest.raises(CommandError, match="发现 2 个错误，未导入任何成果"):
        call_command("import_submissions", event.slug, _save(path))
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "工作表“entries”第7行，F列“题目”：“题目”不能为空",
        "工作表“entries”第4012行，C列“统一社会信用代码”：统一社会信用代码校验位错误：第18位应为 M，实际为 0",
    ]
    assert Submission.objects.count() == 0
    assert Enterprise.objects.count() == before
    assert RecommendingBody.objects.count() == 0


def _save(buffer, tmp=[]) -> str:  # noqa: B006 - one temporary folder per process is enough
    import tempfile

    if not tmp:
        tmp.append(tempfile.mkdtemp())
    path = f"{tmp[0]}/entries-{id(buffer)}.xlsx"
    with open(path, "wb") as handle:
        handle.write(buffer.getvalue())
    return path


def test_category_missing_from_event_refuses_the_whole_file(event):
    event.categories.filter(kind="story").delete()
    rows = [
        entry(1),
        entry(2, category="story", topic_type="", members=(MemberRow("赵敏", "speaker"),)),
    ]
    with pytest.raises(ImportRefused) as refused:
        import_workbook(event=event, source=workbook(rows))
    assert [e.message for e in refused.value.errors] == ["本活动未设“质量品牌故事”类别"]
    assert Submission.objects.count() == 0


def test_event_errors_name_the_column_where_the_sheet_has_it(event):
    """Columns in another order, headed by their English aliases: errors point at them."""
    from openpyxl import Workbook

    event.categories.filter(kind="story").delete()
    story = entry(1, category="story", topic_type="", members=(MemberRow("赵敏", "speaker"),))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("entries")
    sheet.append([column.alias for column in excel.COLUMNS][::-1])
    sheet.append(excel_writer.entry_values(story)[::-1])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(ImportRefused) as refused:
        import_workbook(event=event, source=buffer)
    assert [str(e) for e in refused.value.errors] == [
        "工作表“entries”第2行，O列“category”：本活动未设“质量品牌故事”类别"
    ]


def test_command_import_success_prints_counts(event, tmp_path, capsys):
    path = tmp_path / "in.xlsx"
    path.write_bytes(workbook([entry(1)]).getvalue())
    call_command("import_submissions", event.slug, str(path))
    assert (
        capsys.readouterr().out.strip()
        == "已导入：新增成果 1 项，更新 0 项，未变 0 项，新建企业 1 家"
    )


def test_command_unknown_event_fails(tmp_path):
    with pytest.raises(CommandError, match="活动“nope”不存在"):
        call_command("import_submissions", "nope", str(tmp_path / "x.xlsx"))


def test_export_then_import_round_trips(event, tmp_path):
    rows = [
        entry(1, credit_code="91330106MA2AB1C2XM", enterprise="杭州精工机械有限公司"),
        entry(2),
        entry(3, category="team", topic_type="", members=(MemberRow("周立", "leader"),)),
        entry(
            4,
            category="story",
            topic_type="",
            recommender="",
            members=(MemberRow("赵敏", "speaker"),),
        ),
    ]
    import_workbook(event=event, source=workbook(rows))
    out = tmp_path / "out.xlsx"
    call_command("export_submissions", event.slug, str(out))
    exported = excel.parse_workbook(str(out))
    assert exported.errors == ()
    assert sorted(exported.entries, key=lambda e: e.title) == sorted(rows, key=lambda e: e.title)
    summary = import_workbook(event=event, source=str(out))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 4)
    from openpyxl import load_workbook

    summary_sheet = list(load_workbook(out)["推荐汇总表"].values)
    assert summary_sheet[-1] == (None, "合计", 2, 1, 1, 4, 4)


def test_export_of_empty_event_is_the_template_with_example(event):
    buffer = io.BytesIO()
    assert export_workbook(event=event, out=buffer) == 0
    buffer.seek(0)
    from openpyxl import load_workbook

    assert load_workbook(buffer)["entries"]["B2"].value.startswith("【示例】")


def test_export_includes_portal_entries_with_members(event):
    entry_ = SubmissionFactory(
        category=event.categories.get(kind="qc"), title="门户成果", contact_phone="+86 571 8888"
    )
    Member.objects.create(submission=entry_, order=1, name="甲", role="leader")
    buffer = io.BytesIO()
    export_workbook(event=event, out=buffer)
    buffer.seek(0)
    parsed = excel.parse_workbook(buffer, member_limits={})
    assert [(e.title, e.phone, e.members) for e in parsed.entries] == [
        ("门户成果", "+86 571 8888", (MemberRow("甲", "leader"),))
    ]


@pytest.fixture
def orga_client(client, organizer):
    client.force_login(organizer)
    return client


def test_upload_page_imports_through_the_task_and_shows_result(
    orga_client, event, django_capture_on_commit_callbacks
):
    data = workbook([entry(1), entry(2)]).getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        response = orga_client.post(
            reverse("submissions_orga:import", args=[event.slug]),
            {"file": SimpleUploadedFile("汇总表.xlsx", data)},
        )
    job = ImportJob.objects.get()
    assert response.url == reverse("submissions_orga:import_job", args=[event.slug, job.pk])
    assert (job.state, job.total, job.summary["created"]) == ("done", 2, 2)
    status = orga_client.get(
        reverse("submissions_orga:import_job_status", args=[event.slug, job.pk])
    ).json()
    assert (status["finished"], status["percent"], status["done"]) == (True, 100, 2)
    assert "新增成果 2 项" in orga_client.get(response.url).text


def test_upload_page_lists_errors_and_saves_nothing(
    orga_client, event, django_capture_on_commit_callbacks
):
    rows = [
        excel_writer.entry_values(entry(1)),
        excel_writer.entry_values(entry(2, category="论文")),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        orga_client.post(
            reverse("submissions_orga:import", args=[event.slug]),
            {"file": SimpleUploadedFile("bad.xlsx", raw_workbook(rows).getvalue())},
        )
    job = ImportJob.objects.get()
    assert job.state == "failed"
    page = orga_client.get(reverse("submissions_orga:import_job", args=[event.slug, job.pk]))
    assert "工作表“entries”第3行，A列“类别”：类别“论文”无效" in page.text
    assert Submission.objects.count() == 0


def test_upload_page_in_english_lists_errors_in_english(
    orga_client, event, english_catalogue, django_capture_on_commit_callbacks
):
    orga_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = [
        excel_writer.entry_values(entry(1)),
        excel_writer.entry_values(entry(2, category="论文")),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        orga_client.post(
            reverse("submissions_orga:import", args=[event.slug]),
            {"file": SimpleUploadedFile("bad.xlsx", raw_workbook(rows).getvalue())},
        )
    job = ImportJob.objects.get()
    expected = (
        "Sheet “entries”, row 3, column A “类别”: The category “论文” is not valid; "
        "use one of: QC成果, 质量信得过班组, 质量品牌故事"
    )
    assert (job.state, job.errors) == ("failed", [expected])
    page = orga_client.get(reverse("submissions_orga:import_job", args=[event.slug, job.pk]))
    assert "Sheet “entries”, row 3, column A “类别”: The category “论文” is not valid" in page.text


def test_import_job_worded_in_the_uploaders_language_not_the_workers(
    event, english_catalogue, django_capture_on_commit_callbacks
):
    """The worker has no request: the language of the upload travels with the task."""
    rows = [excel_writer.entry_values(entry(1, phone="call me"))]
    upload = SimpleUploadedFile("bad.xlsx", raw_workbook(rows).getvalue())
    with django_capture_on_commit_callbacks() as callbacks:
        with translation.override("en"), transaction.atomic():
            job = create_import_job(event=event, upload=upload, user=UserFactory())
    assert translation.get_language() == "zh-hans"
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.errors == [
        "Sheet “entries”, row 2, column N “联系电话”: The phone number “call me” is not valid"
    ]


def test_upload_page_refuses_non_excel(orga_client, event):
    response = orga_client.post(
        reverse("submissions_orga:import", args=[event.slug]),
        {"file": SimpleUploadedFile("x.xlsx", b"not excel")},
    )
    assert response.context["form"].errors["file"] == ["请上传 Excel 工作簿（.xlsx）"]


def test_template_and_export_downloads(orga_client, event):
    template = orga_client.get(reverse("submissions_orga:template", args=[event.slug]))
    export = orga_client.get(reverse("submissions_orga:export", args=[event.slug]))
    assert template["Content-Type"] == export["Content-Type"]
    assert template.content[:2] == b"PK" and export.content[:2] == b"PK"


def test_entry_dataclass_equality_ignores_row_number():
    assert dataclasses.replace(entry(1), row=9) == entry(1)


def test_reimport_detects_a_changed_recommender(event):
    import_workbook(event=event, source=workbook([entry(1)]))
    summary = import_workbook(event=event, source=workbook([entry(1, recommender="新推荐单位")]))
    assert (summary.updated, summary.unchanged) == (1, 0)
    assert Submission.objects.get().recommender.name == "新推荐单位"


def test_import_query_count_does_not_grow_with_rows(event, django_assert_max_num_queries):
    rows = [entry(n) for n in range(1, 121)]
    import_workbook(event=event, source=workbook(rows[:60]))
    with django_assert_max_num_queries(40):
        summary = import_workbook(event=event, source=workbook(rows))
    assert (summary.created, summary.unchanged) == (60, 60)
