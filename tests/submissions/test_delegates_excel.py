"""The delegates workbook: headers, row validation with sheet, row and column."""

import io

import openpyxl

from submissions import delegates_excel
from submissions.delegates_excel import parse_rows

HEADER = ["姓名", "单位", "统一社会信用代码", "职务", "手机", "电子邮箱", "参会类型", "住宿"]
VALID = [
    "张伟",
    "杭州精工机械有限公司",
    "",
    "质量部部长",
    "13800001111",
    "zw@example.com",
    "代表",
    "是",
]


def test_parse_rows_valid_row_gives_delegate():
    result = parse_rows([HEADER, VALID])

    assert result.errors == ()
    row = result.delegates[0]
    assert (row.name, row.mobile, row.kind, row.lodging, row.row) == (
        "张伟",
        "13800001111",
        "delegate",
        True,
        2,
    )


def test_parse_rows_accepts_english_aliases_and_kinds():
    header = ["name", "organization", "credit_code", "title", "phone", "email", "kind", "lodging"]
    row = ["Li", "某协会", "", "", "+86 139-0000-2222", "", "guest", "否"]

    result = parse_rows([header, row])

    assert result.errors == ()
    assert (result.delegates[0].mobile, result.delegates[0].kind) == ("13900002222", "guest")
    assert result.delegates[0].lodging is False


def test_parse_rows_errors_name_sheet_row_and_column():
    bad = ["", "某单位", "91330106MA2AB1C2X0", "", "12345", "not-mail", "观众", "也许"]

    result = parse_rows([HEADER, VALID, bad])

    where = [(e.sheet, e.row, e.letter, e.column) for e in result.errors]
    assert where == [
        ("delegates", 3, "A", "姓名"),
        ("delegates", 3, "C", "统一社会信用代码"),
        ("delegates", 3, "E", "手机"),
        ("delegates", 3, "F", "电子邮箱"),
        ("delegates", 3, "G", "参会类型"),
        ("delegates", 3, "H", "住宿"),
    ]
    assert str(result.errors[2]).startswith("工作表“delegates”第3行，E列“手机”")
    assert result.delegates[0].name == "张伟"


def test_parse_rows_same_mobile_twice_is_refused_at_the_second_row():
    twin = ["李娜", "另一家公司", "", "", "138 0000 1111", "", "代表", "否"]

    result = parse_rows([HEADER, VALID, twin])

    assert [(e.row, e.letter) for e in result.errors] == [(3, "E")]
    assert "第2行" in result.errors[0].message


def test_parse_rows_missing_required_header():
    result = parse_rows([["姓名", "单位"], ["张伟", "x"]])

    assert len(result.errors) == 1
    assert "手机" in result.errors[0].message and result.errors[0].row == 1


def test_parse_workbook_without_delegates_sheet():
    workbook = openpyxl.Workbook()
    workbook.active.title = "名单"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)

    result = delegates_excel.parse_workbook(buffer)

    assert not result.ok
    assert "delegates" in result.errors[0].message
