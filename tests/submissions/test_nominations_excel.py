"""The nominations workbook, read without a database: headers, kinds, row errors with cells."""

import io

import openpyxl

from submissions import nominations_excel
from submissions.nominations_excel import NominationRow, parse_rows

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
PERSON = [
    "优秀个人",
    "杭州精工机械有限公司",
    "张伟",
    "质量部部长",
    18,
    "浙江省机械工业质量管理协会",
]
PERSON += ["推进全面质量管理十余年", "李娜", "0571-88886666"]
ORG = ["org", "宁波液压件有限公司", "", "", "", "", "连续五年组织QC小组活动", "", ""]
EVENT_NAMES = {"org": "优秀组织单位", "person": "优秀推进者", "craftsman": "质量工匠"}


def test_parse_rows_reads_a_person_and_an_organization():
    result = parse_rows([HEADER, PERSON, ORG])

    assert result.errors == ()
    assert result.nominations == (
        NominationRow(
            category="person",
            organization="杭州精工机械有限公司",
            summary="推进全面质量管理十余年",
            name="张伟",
            position="质量部部长",
            years=18,
            recommender="浙江省机械工业质量管理协会",
            contact="李娜",
            phone="0571-88886666",
        ),
        NominationRow(category="org", organization="宁波液压件有限公司", summary=ORG[6]),
    )
    assert [row.row for row in result.nominations] == [2, 3]
    assert result.nominations[1].nominee == "宁波液压件有限公司"


def test_parse_rows_accepts_english_aliases_bracketed_headers_and_optional_columns():
    header = ["类别 [category]", "被推荐单位 [organization]", "name", "gender", "years"]
    header += ["trade", "skill_level", "summary"]
    row = ["craftsman", "某重工有限公司", "王强", "male", "20年", "数控车工", "高级技师", "绝活"]

    result = parse_rows([header, row])

    assert result.errors == ()
    nominee = result.nominations[0]
    assert (nominee.category, nominee.gender, nominee.years, nominee.trade) == (
        "craftsman",
        "男",
        20,
        "数控车工",
    )
    assert nominee.skill_level == "高级技师"


def test_parse_rows_takes_the_category_names_of_the_event():
    row = ["优秀推进者", *PERSON[1:]]

    accepted = parse_rows([HEADER, row], categories=EVENT_NAMES)
    refused = parse_rows([HEADER, PERSON], categories=EVENT_NAMES)

    assert accepted.errors == ()
    assert accepted.nominations[0].category == "person"
    assert [(e.row, e.letter, e.message) for e in refused.errors] == [
        (
            2,
            "A",
            "类别“优秀个人”无效，应为：优秀组织单位、优秀推进者、质量工匠、org、person、craftsman",
        )
    ]


def test_parse_rows_refuses_a_kind_the_event_does_not_have():
    result = parse_rows([HEADER, ORG], categories={"person": "优秀个人"})

    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "类别", "类别“org”无效，应为：优秀个人、person")
    ]


def test_parse_rows_errors_name_sheet_row_and_column():
    no_name = ["person", "某机械厂", "", "", "", "", "事迹", "", ""]
    org_with_person = ["org", "某机械厂", "赵敏", "", 5, "", "事迹", "", ""]
    bad_values = ["craftsman", "某机械厂", "钱多", "", "许多年", "", "", "", "12"]

    result = parse_rows([HEADER, PERSON, no_name, org_with_person, bad_values])

    where = [(e.sheet, e.row, e.letter, e.column, e.message) for e in result.errors]
    assert where == [
        ("nominations", 3, "C", "姓名", "“优秀个人”推荐的是个人，须填写“姓名”"),
        ("nominations", 4, "C", "姓名", "“优秀组织单位”不填写“姓名”，本列应留空"),
        ("nominations", 4, "E", "工龄", "“优秀组织单位”不填写“工龄”，本列应留空"),
        ("nominations", 5, "E", "工龄", "工龄“许多年”无效，应为0至70的整数年数，如 12"),
        ("nominations", 5, "G", "事迹摘要", "“事迹摘要”不能为空"),
        ("nominations", 5, "I", "联系电话", "联系电话“12”格式不正确"),
    ]
    assert [row.row for row in result.nominations] == [2]
    assert str(result.errors[0]) == (
        "工作表“nominations”第3行，C列“姓名”：“优秀个人”推荐的是个人，须填写“姓名”"
    )


def test_parse_rows_refuses_trade_for_a_person_and_a_bad_gender():
    header = ["类别", "被推荐单位", "姓名", "性别", "工种", "事迹摘要"]
    row = ["person", "某机械厂", "张伟", "未知", "钳工", "事迹"]

    result = parse_rows([header, row])

    assert [(e.letter, e.message) for e in result.errors] == [
        ("D", "性别“未知”无效，应为：男、女"),
        ("E", "“优秀个人”不填写“工种”，本列应留空"),
    ]


def test_parse_rows_refuses_the_same_nominee_twice_in_a_category():
    again = [*PERSON]
    again[3] = "副总经理"
    other_category = ["质量工匠", *PERSON[1:]]

    result = parse_rows([HEADER, PERSON, again, other_category])

    assert [(e.row, e.letter, e.message) for e in result.errors] == [
        (3, "C", "与第2行重复（同一类别推荐同一单位或个人）")
    ]
    assert [row.category for row in result.nominations] == ["person", "craftsman"]


def test_parse_rows_requires_the_headers_and_skips_blank_and_example_rows():
    missing = parse_rows([["类别", "姓名"], ["person", "张伟"]])
    example = ["person", "【示例】杭州某某机械股份有限公司", "张伟", "", "", "", "事迹", "", ""]
    skipped = parse_rows([HEADER, [None] * 9, example, PERSON])

    assert [(e.row, e.message) for e in missing.errors] == [
        (1, "第1行缺少必需的表头：被推荐单位、事迹摘要")
    ]
    assert skipped.errors == ()
    assert [row.row for row in skipped.nominations] == [4]


def test_parse_rows_limits_lengths():
    long = ["person", "某机械厂", "张" * 61, "", "", "", "事" * 3001, "", ""]

    result = parse_rows([HEADER, long])

    assert [(e.letter, e.message) for e in result.errors] == [
        ("C", "不能超过60个字符（现为61个）"),
        ("G", "不能超过3000个字符（现为3001个）"),
    ]


def test_template_round_trips_through_the_parser():
    buffer = io.BytesIO()
    rows = [
        NominationRow(category="person", organization="某机械厂", summary="事迹", name="张伟"),
        NominationRow(
            category="craftsman",
            organization="某重工",
            summary="=1+1 绝活",
            name="王强",
            gender="男",
            years=20,
            trade="车工",
            skill_level="高级技师",
            recommender="某协会",
        ),
    ]

    written = nominations_excel.write_workbook(buffer, rows, names=EVENT_NAMES)
    buffer.seek(0)
    result = nominations_excel.parse_workbook(buffer, categories=EVENT_NAMES)

    assert written == 2
    assert result.errors == ()
    assert result.nominations == tuple(rows)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames == ["nominations", "填写说明"]
    assert book["nominations"]["A2"].value == "优秀推进者"
    assert book["nominations"]["J3"].data_type == "s"  # the formula-looking text stays text


def test_empty_template_has_the_example_row_which_the_parser_skips():
    buffer = io.BytesIO()

    nominations_excel.write_workbook(buffer, [], example=True)
    buffer.seek(0)
    result = nominations_excel.parse_workbook(buffer)

    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert [c.value for c in book["nominations"][1]] == nominations_excel.header_row()
    assert book["nominations"]["B2"].value.startswith("【示例】")
    assert result.errors == () and result.nominations == ()


def test_parse_workbook_without_the_sheet_says_so():
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.title = "entries"
    book.save(buffer)
    buffer.seek(0)

    result = nominations_excel.parse_workbook(buffer)

    assert [str(e) for e in result.errors] == [
        "工作表“nominations”：缺少工作表“nominations”（现有：entries）"
    ]
