import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from judging.enums import CardSource, CardStatus, LedgerAction
from judging.models import LedgerEntry, Recusal, Scorecard
from judging.scoring.ledger import verify_ledger
from judging.scoring.paper import confirm_paper_import, import_paper_scores, parse_sheet
from judging.scoring.services import submit_scorecard
from tests.factories import UserFactory
from tests.judging.panel_setup import GOOD, build_panel, fast_passwords, recuse  # noqa: F401

ITEMS = ["B1", "B2", "B3", "B4", "B5", "B6"]


def workbook_file(tmp_path, rows, header=None, title="scores"):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header or ["编号", "评委", *ITEMS, "回避"])
    for row in rows:
        sheet.append(row)
    path = tmp_path / "paper.xlsx"
    book.save(path)
    return path


def good_row(entry, judge, **change):
    points = GOOD | change
    return [entry.code, judge.code, *[float(points[c]) for c in ITEMS], None]


def second_organizer(panel):
    user = UserFactory()
    panel.event.staff.add(user)
    return user


def test_parse_sheet_accepts_english_aliases_and_skips_blank_rows():
    rows, errors = parse_sheet(
        "第1分会场",
        [("编号 [entry_code]", "judge", "B1", "recused"), ("QC-001", "J01", 12.5, None), (None,)],
    )
    assert errors == []
    assert [(r.entry_code, r.judge_code, r.points, r.recused, r.row) for r in rows] == [
        ("QC-001", "J01", {"B1": "12.5"}, False, 2)
    ]


def test_parse_sheet_missing_judge_column():
    assert parse_sheet("scores", [("编号", "B1")]) == ([], ["工作表 scores 第 1 行：缺少列“评委”"])


@pytest.mark.django_db
def test_import_paper_scores_counts_only_after_second_organizer_confirms(tmp_path):
    panel = build_panel(judges=2, entries=1)
    entry = panel.entries[0]
    path = workbook_file(tmp_path, [good_row(entry, j) for j in panel.judges])
    request_id = import_paper_scores(event=panel.event, workbook=path, by=panel.organizer)
    cards = list(Scorecard.objects.order_by("judge__code"))
    assert [(c.source, c.status, c.counts) for c in cards] == [
        (CardSource.PAPER, CardStatus.SUBMITTED, False)
    ] * 2
    with pytest.raises(ValidationError, match="不能复核自己的导入"):
        confirm_paper_import(event=panel.event, request_id=request_id, by=panel.organizer)
    other = second_organizer(panel)
    assert confirm_paper_import(event=panel.event, request_id=request_id, by=other) == 2
    assert all(c.counts for c in Scorecard.objects.all())
    assert list(LedgerEntry.objects.values_list("action", "actor")) == [
        (LedgerAction.IMPORT, panel.organizer.pk),
        (LedgerAction.IMPORT, panel.organizer.pk),
        (LedgerAction.CONFIRM, other.pk),
        (LedgerAction.CONFIRM, other.pk),
    ]
    assert verify_ledger(panel.event).ok


@pytest.mark.django_db
def test_import_paper_scores_all_or_nothing_with_located_errors(tmp_path):
    panel = build_panel(judges=3, entries=1)
    entry = panel.entries[0]
    recuse(panel.judges[2], entry)
    path = workbook_file(
        tmp_path,
        [
            good_row(entry, panel.judges[0]),
            good_row(entry, panel.judges[1], B3="21"),
            good_row(entry, panel.judges[2]),
            ["QC-999", panel.judges[0].code, *[1] * 6, None],
        ],
    )
    with pytest.raises(ValidationError) as raised:
        import_paper_scores(event=panel.event, workbook=path, by=panel.organizer)
    assert raised.value.messages == [
        "工作表 scores 第 3 行 E 列（B3）：评分项 B3（对策与实施） 的分数 21 超出范围 0–20",
        f"工作表 scores 第 4 行：评委 {panel.judges[2].code} 对成果 {entry.code} 须回避，不能评分",
        "工作表 scores 第 5 行 编号列：没有编号为“QC-999”的成果",
    ]
    assert Scorecard.objects.count() == 0
    assert LedgerEntry.objects.count() == 0


@pytest.mark.django_db
def test_import_paper_scores_errors_in_english(tmp_path, english_catalogue):
    """Messages follow the language; item names and sheet titles are data and stay as written."""
    panel = build_panel(judges=3, entries=1)
    entry = panel.entries[0]
    recuse(panel.judges[2], entry)
    path = workbook_file(
        tmp_path,
        [
            good_row(entry, panel.judges[1], B3="21"),
            good_row(entry, panel.judges[2]),
            ["QC-999", panel.judges[0].code, *[1] * 6, None],
        ],
    )
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        import_paper_scores(event=panel.event, workbook=path, by=panel.organizer)
    assert raised.value.messages == [
        "Sheet scores, row 2, column E (B3): Score item B3 (对策与实施): "
        "the score 21 is outside 0–20",
        f"Sheet scores, row 3: judge {panel.judges[2].code} is recused from entry {entry.code} "
        "and cannot score it",
        "Sheet scores, row 4, entry code column: no entry has the code “QC-999”",
    ]


@pytest.mark.django_db
def test_import_paper_scores_ledger_keeps_the_place_in_chinese(tmp_path, english_catalogue):
    panel = build_panel(judges=1, entries=1)
    path = workbook_file(tmp_path, [good_row(panel.entries[0], panel.chair)])
    with translation.override("en"):
        import_paper_scores(event=panel.event, workbook=path, by=panel.organizer)
    assert json.loads(LedgerEntry.objects.get().payload)["where"] == "工作表 scores 第 2 行"


@pytest.mark.django_db
def test_import_paper_scores_recused_column_records_recusal(tmp_path):
    panel = build_panel(judges=2, entries=1)
    entry = panel.entries[0]
    path = workbook_file(
        tmp_path,
        [good_row(entry, panel.judges[0]), [entry.code, panel.judges[1].code, *[None] * 6, 1]],
    )
    import_paper_scores(event=panel.event, workbook=path, by=panel.organizer)
    assert Scorecard.objects.count() == 1
    assert Recusal.objects.get().judge == panel.judges[1]


@pytest.mark.django_db
def test_import_paper_scores_refuses_card_already_submitted_on_tablet(tmp_path):
    panel = build_panel(judges=1, entries=1)
    submit_scorecard(judge=panel.chair, submission=panel.entries[0], points=GOOD)
    path = workbook_file(tmp_path, [good_row(panel.entries[0], panel.chair)])
    with pytest.raises(ValidationError, match="已有提交的评分"):
        import_paper_scores(event=panel.event, workbook=path, by=panel.organizer)


@pytest.mark.django_db
def test_import_scores_command_same_person_refused_then_confirmed(tmp_path, capsys):
    panel = build_panel(judges=2, entries=1)
    path = workbook_file(tmp_path, [good_row(panel.entries[0], j) for j in panel.judges])
    name = panel.organizer.username
    with pytest.raises(CommandError, match="两位不同的组织者"):
        call_command("import_scores", panel.event.slug, str(path), by=name, confirmed_by=name)
    other = second_organizer(panel)
    call_command("import_scores", panel.event.slug, str(path), by=name, confirmed_by=other.username)
    assert "已导入 2 张纸质评分卡（已复核，计入结果）" in capsys.readouterr().out
    assert all(card.counts for card in Scorecard.objects.all())


@pytest.mark.django_db
def test_import_scores_command_error_exits_1(tmp_path):
    panel = build_panel(judges=1, entries=1)
    path = workbook_file(tmp_path, [good_row(panel.entries[0], panel.chair, B1="99")])
    with pytest.raises(CommandError) as raised:
        call_command("import_scores", panel.event.slug, str(path), by=panel.organizer.username)
    assert raised.value.returncode == 1
    assert "第 2 行 C 列（B1）" in str(raised.value)


@pytest.mark.django_db
def test_import_page_upload_then_other_organizer_confirms(client, tmp_path):
    panel = build_panel(judges=1, entries=1)
    path = workbook_file(tmp_path, [good_row(panel.entries[0], panel.chair)])
    url = reverse("judging:import_scores", args=[panel.event.slug])
    client.force_login(panel.organizer)
    with open(path, "rb") as handle:
        client.post(url, {"file": handle})
    card = Scorecard.objects.get()
    assert not card.counts
    request_id = LedgerEntry.objects.get().request_id
    confirm = reverse("judging:confirm_import", args=[panel.event.slug, request_id])
    client.post(confirm)
    assert not Scorecard.objects.get().counts
    client.force_login(second_organizer(panel))
    client.post(confirm)
    assert Scorecard.objects.get().counts


@pytest.mark.django_db
def test_import_page_not_for_judges(client):
    panel = build_panel(judges=1, entries=1)
    client.force_login(panel.chair.user)
    assert client.get(reverse("judging:import_scores", args=[panel.event.slug])).status_code == 404
