"""The judges workbook, parsed without a database."""

import io

import pytest

from judging.scoring.judges_excel import (
    JudgeRow,
    parse_judge_rows,
    parse_judges_workbook,
    write_judges_template,
)

HEADER = ["评委编号", "姓名", "工作单位", "所属集团", "省份", "分会场", "角色", "手机", "电子邮箱"]


def test_rows_with_chinese_headers_parse():
    result = parse_judge_rows(
        [HEADER, ["J01", "张三", "甲机械有限公司", "甲集团", "浙江", 1, "组长", "13800000000", ""]]
    )
    assert result.errors == ()
    assert result.judges == (
        JudgeRow(
            row=2,
            code="J01",
            name="张三",
            affiliation="甲机械有限公司",
            group="甲集团",
            province="浙江",
            venue=1,
            role="chair",
            phone="13800000000",
        ),
    )


def test_english_aliases_and_bracketed_headers_are_accepted():
    header = ["code", "name", "分会场 [venue]", "role"]
    result = parse_judge_rows([header, ["J02", "李四", "2", "member"]])
    assert [(j.code, j.venue, j.role) for j in result.judges] == [("J02", 2, "member")]


def test_every_error_names_sheet_row_and_column():
    result = parse_judge_rows(
        [
            HEADER,
            ["J01", "", "", "", "", "一", "主任", "abc", "bad"],
            ["J01", "王五", "", "", "", 1, "组长", "", ""],
            ["J01", "赵六", "", "", "", 1, "评委", "", ""],
        ]
    )
    messages = [str(error) for error in result.errors]
    assert messages == [
        "工作表“judges”第2行，B列“姓名”：必填，不能为空",
        "工作表“judges”第2行，F列“分会场”：“一”不是分会场序号（如 1）",
        "工作表“judges”第2行，G列“角色”：“主任”不是有效的角色（组长 / 评委）",
        "工作表“judges”第2行，H列“手机”：“abc”不是有效的电话号码",
        "工作表“judges”第2行，I列“电子邮箱”：“bad”不是有效的电子邮箱",
        "工作表“judges”第4行，A列“评委编号”：评委编号与第3行重复",
    ]


def test_two_chairs_at_one_venue_are_refused():
    result = parse_judge_rows(
        [HEADER, ["J01", "甲", "", "", "", 1, "组长"], ["J02", "乙", "", "", "", 1, "chair"]]
    )
    assert [str(e) for e in result.errors] == [
        "工作表“judges”第3行，G列“角色”：第1分会场的组长已在第2行填写，每个分会场只有一位组长"
    ]


def test_missing_header_is_reported():
    result = parse_judge_rows([["姓名"], ["张三"]])
    assert [str(e) for e in result.errors] == ["工作表“judges”第1行：第1行缺少必需的表头：评委编号"]


@pytest.mark.parametrize("example", [True, False])
def test_template_round_trips(example):
    buffer = io.BytesIO()
    judges = [] if example else [JudgeRow(row=2, code="J05", name="钱七", venue=3, role="member")]
    write_judges_template(buffer, judges)
    buffer.seek(0)
    result = parse_judges_workbook(buffer)
    assert result.errors == ()
    assert [(j.code, j.venue) for j in result.judges] == ([] if example else [("J05", 3)])


def test_a_workbook_without_the_judges_sheet_is_refused():
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    buffer.seek(0)
    assert [str(e) for e in parse_judges_workbook(buffer).errors] == [
        "工作表“judges”：缺少工作表“judges”（现有：Sheet）"
    ]
