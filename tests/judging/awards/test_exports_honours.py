"""The results workbook of an honour category: nominee columns, and decisions that anyone can
recompute from the workbook alone (the cards in the category's sheet, the rule in 说明)."""

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.judging.honours_data import FINAL, HONOURED

pytestmark = pytest.mark.django_db

CARD = re.compile(r"^(?P<judge>\S+) (?P<total>\d+(?:\.\d+)?)(?:（去高）|（去低）)?$")


def rules_from(info) -> dict[str, dict]:
    """Return the award rule of each category as the 说明 sheet states it."""
    rows = [[cell.value for cell in row] for row in info.iter_rows()]
    start = next(i for i, row in enumerate(rows) if row[0] == "评选规则")
    header = rows[start]
    return {row[1]: dict(zip(header, row, strict=False)) for row in rows[start + 1 :] if row[1]}


def recompute(totals: list[Decimal], trim_min: int) -> Decimal | None:
    """The final score as the rules say it: drop one highest and one lowest of enough cards."""
    if not totals:
        return None
    ordered = sorted(totals)
    counted = ordered[1:-1] if len(ordered) >= trim_min else ordered
    return (sum(counted) / len(counted)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_honour_sheet_decisions_recompute_from_the_workbook_alone(honours, tmp_path):
    event, _, run = honours
    out = tmp_path / "results.xlsx"
    call_command("export_results", event.slug, str(out))
    workbook = load_workbook(out, read_only=True)
    assert workbook.sheetnames == ["说明", "优秀个人", "书面评审组评分矩阵"]
    rule = rules_from(workbook["说明"])["优秀个人"]
    assert (rule["规则"], rule["固定名额"], rule["名额范围"]) == ("比例或名额", 3, "整个类别")

    rows = [[cell.value for cell in row] for row in workbook["优秀个人"].iter_rows()]
    header, body = rows[0], rows[1:]
    assert header[:9] == ["类别名次", "分会场", "分会场名次", "编号", "姓名", "单位", "职务", "推荐单位", "最终得分"]  # fmt: skip
    assert header[-5:] == ["结果", "等级", "理由", "评审委员会审定", "审定理由"]
    judge_columns = [i for i, name in enumerate(header) if str(name).startswith("评委")]
    col = {name: header.index(name) for name in ("姓名", "单位", "职务", "推荐单位", "最终得分", "结果")}  # fmt: skip

    recomputed = {}
    for row in body:
        totals = []
        for i in judge_columns:
            match = CARD.match(row[i] or "")
            if match:  # cells like "E2 86.00" or "E1 88.00（去高）"; "E4 未提交" count nothing
                totals.append(Decimal(match["total"]))
        assert len(totals) == 3  # each dossier read by three of the five experts
        recomputed[row[col["姓名"]]] = recompute(totals, rule["去高去低最少评分数"])
    ranked = sorted(recomputed, key=lambda name: -recomputed[name])
    places = rule["固定名额"]
    assert recomputed[ranked[places - 1]] != recomputed[ranked[places]]  # no tie to break
    expected = {name: ("标杆" if i < places else "未入选") for i, name in enumerate(ranked)}

    assert {row[col["姓名"]]: row[col["结果"]] for row in body} == expected
    assert {row[col["姓名"]]: Decimal(str(row[col["最终得分"]])).quantize(Decimal("0.01")) for row in body} == recomputed  # fmt: skip
    # and by hand: the middle card of each dossier, the first three honoured
    assert [str(recomputed[name]) for name in ranked] == FINAL
    assert ranked[:places] == HONOURED
    first = body[0]
    assert [first[col[name]] for name in ("姓名", "单位", "职务", "推荐单位")] == [
        "张伟", "中国第一重型机械股份有限公司", "质量管理部部长", "黑龙江省机械工业联合会",
    ]  # fmt: skip
    matrix = [[cell.value for cell in row] for row in workbook["书面评审组评分矩阵"].iter_rows()]
    assert matrix[0][:3] == ["抽签号", "编号", "推荐对象"]
    assert matrix[1][:3] == [1, "GR-001", "张伟"]
