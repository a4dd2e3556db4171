"""The entries workbook written: row generators, the 推荐汇总表, the template and its
round trip through the reader."""

import dataclasses
import io

import openpyxl

from submissions import excel, excel_writer
from submissions.excel_template import EntryRow, MemberRow
from tests.submissions.test_excel import EXPECTED, HEADER


def test_summarise_by_recommender_counts_categories_and_enterprises():
    entries = [
        EXPECTED,
        dataclasses.replace(EXPECTED, title="第二项"),
        dataclasses.replace(EXPECTED, category="team", enterprise="乙公司", topic_type=""),
        dataclasses.replace(EXPECTED, recommender="", category="story"),
    ]
    summary = excel_writer.summarise_by_recommender(entries)
    assert [(s.recommender, s.counts, s.total, s.enterprises) for s in summary] == [
        ("浙江省机械工业质量管理协会", (2, 1, 0), 3, 2),
        ("（未填推荐单位）", (0, 0, 1), 1, 1),
    ]
    assert list(excel_writer.summary_rows(summary))[-1] == ["", "合计", 2, 1, 1, 4, 3]


def write(entries, **kwargs):
    buffer = io.BytesIO()
    excel_writer.write_workbook(buffer, entries, **kwargs)
    buffer.seek(0)
    return buffer


def test_write_workbook_round_trips_through_parse_workbook():
    entries = [
        EXPECTED,
        dataclasses.replace(EXPECTED, title="第二项", start=None, end=None, contact=""),
        EntryRow(
            category="story",
            enterprise="乙公司",
            group="讲述团队",
            title="一颗螺丝钉",
            members=(MemberRow("赵敏", "speaker"),),
        ),
    ]
    result = excel.parse_workbook(write(entries))
    assert result.errors == ()
    assert result.entries == tuple(entries)


def test_write_workbook_neutralises_formula_text():
    hostile = dataclasses.replace(
        EXPECTED, title='=HYPERLINK("http://x","点我")', contact="@SUM(1)"
    )
    book = openpyxl.load_workbook(write([hostile]))
    title = book["entries"]["F2"]
    assert (title.value, title.data_type, title.quotePrefix) == (hostile.title, "s", True)
    assert book["entries"]["M2"].data_type == "s"
    assert excel.parse_workbook(write([hostile])).entries == (hostile,)


def test_write_workbook_empty_template_has_example_dropdowns_and_summary():
    book = openpyxl.load_workbook(write([], example=True))
    assert book.sheetnames == ["entries", "推荐汇总表", "填写说明"]
    sheet = book["entries"]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet["B2"].value.startswith("【示例】")
    formulas = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert formulas == {
        "A2:A1001": '"QC成果,质量信得过班组,质量品牌故事"',
        "G2:G1001": '"现场型,攻关型,管理型,服务型,创新型"',
    }
    assert excel.parse_workbook(write([], example=True)) == excel.ParseResult((), ())
