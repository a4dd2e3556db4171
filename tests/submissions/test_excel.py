"""The entries workbook: header aliases, row validation with locations, round trip, writer."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import translation

from submissions import excel, excel_writer
from submissions.excel import CellError, EntryRow, MemberRow, parse_rows

HEADER = excel_writer.header_row()
VALID = [
    "QC成果",
    "杭州精工机械有限公司",
    "91330106MA2AB1C2XM",
    "浙江省机械工业质量管理协会",
    "精益QC小组",
    "降低缸体加工不良率",
    "现场型",
    "QC-18",
    "KT-45",
    dt.datetime(2021, 1, 4),
    "2021/6/30",
    "张伟/组长/车间主任；李娜/副组长/工艺员;王强/组员",
    "张伟",
    "0571-88886666",
    "zw@example.com",
]
EXPECTED = EntryRow(
    category="qc",
    enterprise="杭州精工机械有限公司",
    credit_code="91330106MA2AB1C2XM",
    recommender="浙江省机械工业质量管理协会",
    group="精益QC小组",
    title="降低缸体加工不良率",
    topic_type="onsite",
    group_reg_no="QC-18",
    topic_reg_no="KT-45",
    start=dt.date(2021, 1, 4),
    end=dt.date(2021, 6, 30),
    members=(
        MemberRow("张伟", "leader", "车间主任"),
        MemberRow("李娜", "deputy", "工艺员"),
        MemberRow("王强", "member", ""),
    ),
    contact="张伟",
    phone="0571-88886666",
    email="zw@example.com",
)


def row(**changes):
    values = list(VALID)
    for key, value in changes.items():
        values[list(excel.COLUMN_BY_KEY).index(key)] = value
    return values


def test_parse_rows_valid_row_gives_entry():
    result = parse_rows([HEADER, VALID])
    assert result.errors == ()
    assert result.entries == (EXPECTED,)
    assert result.entries[0].row == 2


def test_parse_rows_accepts_english_and_bracketed_headers_in_any_order():
    english = [column.alias for column in excel.COLUMNS]
    bracketed = [f"{c.label} [{c.alias}]" for c in excel.COLUMNS]
    assert parse_rows([english, VALID]).entries == (EXPECTED,)
    assert parse_rows([bracketed, VALID]).entries == (EXPECTED,)
    assert parse_rows([HEADER[::-1], VALID[::-1]]).entries == (EXPECTED,)


def test_parse_rows_accepts_category_and_topic_codes():
    result = parse_rows([HEADER, row(category="qc", topic_type="innovation")])
    assert result.entries[0].category == "qc"
    assert result.entries[0].topic_type == "innovation"


def test_parse_rows_missing_required_header_reported_on_row_1():
    header = [h for h in HEADER if h not in ("题目", "类别")]
    result = parse_rows([header])
    assert result.errors == (CellError("entries", 1, "", "", "第1行缺少必需的表头：类别、题目"),)


def test_parse_rows_skips_blank_and_example_rows():
    example = excel_writer.entry_values(excel_writer.EXAMPLE_ENTRY)
    result = parse_rows([HEADER, [None] * 15, example, ["", " "], VALID])
    assert result.errors == ()
    assert [e.row for e in result.entries] == [5]


@pytest.mark.parametrize(
    ("changes", "letter", "column", "message"),
    [
        ({"title": ""}, "F", "题目", "“题目”不能为空"),
        (
            {"category": "优秀论文"},
            "A",
            "类别",
            "类别“优秀论文”无效，应为：QC成果、质量信得过班组、质量品牌故事",
        ),
        (
            {"credit_code": "91330106MA2AB1C2X0"},
            "C",
            "统一社会信用代码",
            "统一社会信用代码校验位错误：第18位应为 M，实际为 0",
        ),
        ({"topic_type": ""}, "G", "课题类型", "QC成果必须填写课题类型"),
        (
            {"topic_type": "发明型"},
            "G",
            "课题类型",
            "课题类型“发明型”无效，应为：现场型、攻关型、管理型、服务型、创新型",
        ),
        ({"start": "去年春天"}, "J", "活动开始", "日期“去年春天”无法识别，请填写如 2021-03-01"),
        (
            {"end": "2020-12-31"},
            "K",
            "活动结束",
            "活动结束（2020-12-31）早于活动开始（2021-01-04）",
        ),
        ({"members": "张伟/组长；李娜/副组长"}, "L", "成员", "QC成果的成员应为3至15人，本行为2人"),
        (
            {"members": "张伟/组长；李娜；王强/组员"},
            "L",
            "成员",
            "第2位成员“李娜”应写作 姓名/角色/职务",
        ),
        (
            {"members": "张伟/班长；李娜/组员；王强/组员"},
            "L",
            "成员",
            "第1位成员“张伟”的角色“班长”无效，应为：组长、副组长、组员、顾问、讲述人",
        ),
        ({"phone": "call me"}, "N", "联系电话", "联系电话“call me”格式不正确"),
        ({"email": "zw.example.com"}, "O", "电子邮箱", "电子邮箱“zw.example.com”格式不正确"),
        ({"group": "组" * 121}, "E", "小组名称", "不能超过120个字符（现为121个）"),
    ],
)
def test_parse_rows_invalid_cell_reported_with_location(changes, letter, column, message):
    result = parse_rows([HEADER, VALID, row(**changes)])
    assert result.entries == (EXPECTED,)
    assert result.errors == (CellError("entries", 3, column, letter, message),)


def test_parse_rows_topic_type_refused_outside_qc():
    result = parse_rows([HEADER, row(category="质量品牌故事", members="赵敏/讲述人")])
    assert result.errors == (
        CellError("entries", 2, "课题类型", "G", "只有QC成果填写课题类型，本行类别不是QC成果"),
    )


def test_parse_rows_story_without_topic_type_and_one_speaker_is_valid():
    result = parse_rows([HEADER, row(category="story", topic_type=None, members="赵敏/讲述人")])
    assert result.errors == ()
    assert result.entries[0].members == (MemberRow("赵敏", "speaker", ""),)


def test_parse_rows_member_limits_come_from_the_caller():
    result = parse_rows([HEADER, VALID], member_limits={"qc": (5, 15)})
    assert [e.message for e in result.errors] == ["QC成果的成员应为5至15人，本行为3人"]


def test_parse_rows_collects_every_error_of_every_row():
    result = parse_rows([HEADER, row(title="", email="x"), VALID, row(category="?", title="b")])
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "题目"),
        (2, "电子邮箱"),
        (4, "类别"),
    ]
    assert str(result.errors[0]) == "工作表“entries”第2行，F列“题目”：“题目”不能为空"


def test_parse_rows_duplicate_entry_names_first_row():
    result = parse_rows([HEADER, VALID, VALID])
    assert result.errors == (
        CellError("entries", 3, "题目", "F", "与第2行重复（同一企业、类别和题目）"),
    )


def test_parse_rows_one_credit_code_with_two_names_refused():
    result = parse_rows([HEADER, VALID, row(enterprise="另一家有限公司", title="另一题目")])
    assert [e.message for e in result.errors] == [
        "同一统一社会信用代码在第2行对应的企业名称为“杭州精工机械有限公司”，与本行不一致"
    ]


def test_parse_rows_one_enterprise_with_two_credit_codes_refused():
    result = parse_rows([HEADER, VALID, row(credit_code="91350100M000100Y43", title="另一题目")])
    assert [e.message for e in result.errors] == [
        "同一企业在第2行填写的统一社会信用代码为“91330106MA2AB1C2XM”，与本行不一致"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2021, 3, 1), dt.date(2021, 3, 1)),
        (dt.datetime(2021, 3, 1, 0, 0), dt.date(2021, 3, 1)),
        ("2021-03-01", dt.date(2021, 3, 1)),
        ("2021.3.1", dt.date(2021, 3, 1)),
        ("2021年3月1日", dt.date(2021, 3, 1)),
        (44256, dt.date(2021, 3, 1)),  # Excel serial: 1899-12-30 + 44256 days
        ("2021-02-30", None),
        ("三月", None),
    ],
)
def test_parse_date_forms(value, expected):
    assert excel.parse_date(value) == expected


def test_format_members_round_trips_through_parse_members():
    members = EXPECTED.members
    text = excel.format_members(members)
    assert text == "张伟/组长/车间主任；李娜/副组长/工艺员；王强/组员"
    assert excel.parse_members(text) == (members, [])


def test_parse_workbook_not_an_excel_file_reported():
    result = excel.parse_workbook(io.BytesIO(b"hello, not a zip"))
    assert [str(e) for e in result.errors] == [
        "工作表“entries”：无法读取文件：请上传 Excel 工作簿（.xlsx）"
    ]


def test_parse_workbook_missing_sheet_reported():
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    result = excel.parse_workbook(buffer)
    assert [e.message for e in result.errors] == ["缺少工作表“entries”（现有：Sheet1）"]


def test_parse_rows_errors_in_english_keep_sheet_header_and_labels(english_catalogue):
    """Messages follow the language; the sheet name, headers and cell labels stay as written."""
    rows = [
        HEADER,
        row(title="", category="优秀论文"),
        row(members="张伟/组长；李娜/副组长"),
        row(credit_code="91330106MA2AB1C2X0", title="另一题目"),
    ]
    with translation.override("en"):
        errors = [str(error) for error in parse_rows(rows).errors]
    assert errors == [
        "Sheet “entries”, row 2, column F “题目”: “题目” must not be empty",
        "Sheet “entries”, row 2, column A “类别”: The category “优秀论文” is not valid; "
        "use one of: QC成果, 质量信得过班组, 质量品牌故事",
        "Sheet “entries”, row 3, column L “成员”: QC成果 needs 3 to 15 members; this row has 2",
        "Sheet “entries”, row 4, column C “统一社会信用代码”: Wrong check character in the "
        "unified social credit code: the 18th character should be M, not 0",
    ]


def test_parse_rows_error_names_the_header_as_written_in_the_sheet():
    aliases = [column.alias for column in excel.COLUMNS]
    result = parse_rows([aliases, row(title="")])
    assert result.errors == (CellError("entries", 2, "title", "F", "“title”不能为空"),)


def test_parse_rows_missing_header_in_english(english_catalogue):
    header = [h for h in HEADER if h not in ("题目", "类别")]
    with translation.override("en"):
        errors = [str(error) for error in parse_rows([header]).errors]
    assert errors == ["Sheet “entries”, row 1: Required headers are missing: 类别, 题目"]


def test_parse_workbook_problems_in_english(english_catalogue):
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.create_sheet("Data")
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with translation.override("en"):
        missing = [str(e) for e in excel.parse_workbook(buffer).errors]
        not_excel = [str(e) for e in excel.parse_workbook(io.BytesIO(b"hello")).errors]
    assert missing == [
        "Sheet “entries”: The sheet “entries” is missing (the workbook has: Sheet1, Data)"
    ]
    assert not_excel == [
        "Sheet “entries”: The file cannot be read: please upload an Excel workbook (.xlsx)"
    ]
