"""Importing nominations: all or nothing, limits across the file and the stored ones, round trip."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from submissions.enums import Status
from submissions.models import Enterprise, RecommendingBody, Submission
from submissions.services.intake import export_workbook
from submissions.services.nomination_intake import (
    NominationImportRefused,
    import_nominations,
)
from tests.factories import CategoryFactory, EnterpriseFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "类别",
    "被推荐单位",
    "姓名",
    "职务",
    "工龄",
    "推荐单位",
    "事迹摘要",
    "联系人",
    "联系电话",
]
ASSOCIATION = "浙江省机械工业质量管理协会"


def person(name, organization="杭州精工机械有限公司", recommender=ASSOCIATION, kind="person"):
    return [kind, organization, name, "质量部部长", 12, recommender, f"{name}的事迹", "李娜", ""]


def organization(name, recommender=""):
    return ["优秀组织单位", name, "", "", "", recommender, "组织QC小组活动", "", ""]


def workbook(*rows, header=HEADER) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "nominations"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def categories(event):
    made = {}
    for order, (kind, name, prefix, limit) in enumerate(
        [
            ("org", "优秀组织单位", "ZZ", None),
            ("person", "优秀个人", "GR", 2),
            ("craftsman", "质量工匠", "GJ", 1),
        ],
        start=4,
    ):
        made[kind] = CategoryFactory(
            event=event,
            kind=kind,
            name=name,
            code_prefix=prefix,
            honour=name,
            order=order,
            nomination_limit=limit,
        )
    return made


def test_import_creates_submitted_nominations_with_codes_enterprises_and_bodies(event, categories):
    existing = EnterpriseFactory(name="杭州精工机械有限公司")

    summary = import_nominations(
        event=event,
        source=workbook(
            person("张伟"),
            person("王强", organization="宁波液压件有限公司"),
            person("赵敏", kind="质量工匠"),
            organization("宁波液压件有限公司"),
        ),
    )

    assert (summary.created, summary.updated, summary.unchanged) == (4, 0, 0)
    assert summary.enterprises_created == 1
    rows = list(
        Submission.objects.order_by("code").values_list(
            "code", "enterprise__name", "title", "nominee_name", "status", "recommender__name"
        )
    )
    assert rows == [
        ("GJ-001", "杭州精工机械有限公司", "赵敏", "赵敏", Status.SUBMITTED, ASSOCIATION),
        ("GR-001", "杭州精工机械有限公司", "张伟", "张伟", Status.SUBMITTED, ASSOCIATION),
        ("GR-002", "宁波液压件有限公司", "王强", "王强", Status.SUBMITTED, ASSOCIATION),
        ("ZZ-001", "宁波液压件有限公司", "宁波液压件有限公司", "", Status.SUBMITTED, None),
    ]
    zhang = Submission.objects.get(code="GR-001")
    assert zhang.enterprise == existing
    assert (zhang.nominee_position, zhang.nominee_years, zhang.achievements) == (
        "质量部部长",
        12,
        "张伟的事迹",
    )
    assert zhang.submitted_at is not None
    assert RecommendingBody.objects.filter(name=ASSOCIATION).count() == 1


def test_import_with_one_bad_row_saves_nothing(event, categories):
    bad = person("")

    with pytest.raises(NominationImportRefused) as refused:
        import_nominations(event=event, source=workbook(person("张伟"), bad))

    assert [str(e) for e in refused.value.errors] == [
        "工作表“nominations”第3行，C列“姓名”：“优秀个人”推荐的是个人，须填写“姓名”"
    ]
    assert Submission.objects.count() == 0
    assert not Enterprise.objects.filter(name="杭州精工机械有限公司").exists()
    assert not RecommendingBody.objects.exists()


def test_import_refuses_rows_past_the_limit_in_the_file(event, categories):
    rows = [person("张伟"), person("王强"), person("赵敏"), person("钱多", recommender="")]

    with pytest.raises(NominationImportRefused) as refused:
        import_nominations(event=event, source=workbook(*rows))

    assert [(e.row, e.letter, e.column, e.message) for e in refused.value.errors] == [
        (
            4,
            "F",
            "推荐单位",
            "超出限报数量：“优秀个人”每个推荐单位限报2项，“浙江省机械工业质量管理协会”连同本行已有3项",
        )
    ]
    assert Submission.objects.count() == 0


def test_import_counts_the_stored_nominations_of_the_body(event, categories):
    body = RecommendingBody.objects.create(name=ASSOCIATION)
    SubmissionFactory(
        event=event, category=categories["person"], code="GR-001", title="孙丽", recommender=body
    )
    SubmissionFactory(
        event=event,
        category=categories["person"],
        code="GR-002",
        title="周强",
        recommender=body,
        status=Status.WITHDRAWN,
    )

    with pytest.raises(NominationImportRefused) as refused:
        import_nominations(event=event, source=workbook(person("张伟"), person("王强")))

    assert [(e.row, e.letter) for e in refused.value.errors] == [(3, "F")]
    assert "连同本行已有3项" in refused.value.errors[0].message
    summary = import_nominations(event=event, source=workbook(person("张伟")))
    assert summary.created == 1


def test_import_counts_an_organization_without_recommender_against_itself(event, categories):
    limited = categories["craftsman"]
    rows = [
        person("张伟", kind="质量工匠", recommender=""),
        person("王强", kind="质量工匠", recommender=""),
        person("赵敏", kind="质量工匠", organization="宁波液压件有限公司", recommender=""),
    ]

    with pytest.raises(NominationImportRefused) as refused:
        import_nominations(event=event, source=workbook(*rows))

    assert [(e.row, e.letter, e.column) for e in refused.value.errors] == [(3, "B", "被推荐单位")]
    assert f"“{limited.name}”每个推荐单位限报1项，“杭州精工机械有限公司”" in (
        refused.value.errors[0].message
    )


def test_import_again_updates_in_place_without_counting_twice(event, categories):
    import_nominations(event=event, source=workbook(person("张伟"), person("王强")))
    changed = person("张伟")
    changed[6] = "新的事迹"

    summary = import_nominations(event=event, source=workbook(changed, person("王强")))

    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    assert Submission.objects.get(title="张伟").achievements == "新的事迹"
    assert Submission.objects.count() == 2


def test_import_without_nomination_categories_says_so(event):
    with pytest.raises(NominationImportRefused) as refused:
        import_nominations(event=event, source=workbook(person("张伟")))

    assert refused.value.errors[0].message.startswith("本活动未设推荐类别")


def test_command_imports_and_reports(event, categories, tmp_path, capsys):
    path = tmp_path / "nominations.xlsx"
    path.write_bytes(workbook(person("张伟"), organization("宁波液压件有限公司")).getvalue())

    call_command("import_nominations", event.slug, str(path))

    assert "新增推荐 2 项" in capsys.readouterr().out
    assert Submission.objects.count() == 2


def test_command_with_errors_prints_them_and_imports_nothing(event, categories, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(
        workbook(person("张伟"), ["奖项", "某厂", "", "", "", "", "", "", ""]).getvalue()
    )
    errors = io.StringIO()

    with pytest.raises(CommandError, match="发现 2 个错误，未导入任何推荐") as failed:
        call_command("import_nominations", event.slug, str(path), stderr=errors)

    assert failed.value.returncode == 1  # manage.py exits with it
    assert errors.getvalue().splitlines() == [
        "工作表“nominations”第3行，A列“类别”：类别“奖项”无效，应为：优秀组织单位、优秀个人、"
        "质量工匠、org、person、craftsman",
        "工作表“nominations”第3行，G列“事迹摘要”：“事迹摘要”不能为空",
    ]
    assert Submission.objects.count() == 0


def test_export_writes_nominations_sheet_that_imports_back(event, categories):
    import_nominations(
        event=event,
        source=workbook(person("张伟"), person("赵敏", kind="质量工匠"), organization("某厂")),
    )
    SubmissionFactory(event=event, category=event.categories.get(kind="qc"), title="降低不良率")
    buffer = io.BytesIO()

    export_workbook(event=event, out=buffer)

    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames == ["entries", "nominations", "推荐汇总表", "填写说明"]
    assert [row[0].value for row in book["entries"].iter_rows(min_row=2)] == ["QC成果"]
    names = [row[2].value for row in book["nominations"].iter_rows(min_row=2)]
    assert names == [None, "张伟", "赵敏"]  # 优秀组织单位, 优秀个人, 质量工匠 in category order
    buffer.seek(0)
    summary = import_nominations(event=event, source=buffer)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)


def test_organizer_uploads_nominations_and_sees_errors(client, event, categories, organizer):
    client.force_login(organizer)
    url = reverse("submissions_orga:nominations_import", args=[event.slug])
    bad = workbook(person("张伟"), person(""))
    bad.name = "bad.xlsx"

    refused = client.post(url, {"file": bad})
    good = workbook(person("张伟"))
    good.name = "good.xlsx"
    accepted = client.post(url, {"file": good}, follow=True)

    assert refused.status_code == 200
    assert "第3行，C列“姓名”" in refused.text
    assert Submission.objects.filter(title="张伟").count() == 1
    assert "新增推荐 1 项" in accepted.text


def test_template_download_uses_the_event_category_names(client, event, categories, organizer):
    categories["person"].name = "优秀推进者"
    categories["person"].save()
    client.force_login(organizer)

    response = client.get(reverse("submissions_orga:nominations_template", args=[event.slug]))

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book["nominations"]["A2"].value == "优秀推进者"
    assert book["nominations"]["B2"].value.startswith("【示例】")
