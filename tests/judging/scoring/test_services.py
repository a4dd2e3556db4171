import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from judging.enums import CardStatus, LedgerAction
from judging.models import LedgerEntry, Scorecard, VenueStatus
from judging.scoring.chairs import advance_presenting, lock_venue, return_scorecard, unlock_venue
from judging.scoring.ledger import verify_ledger
from judging.scoring.selectors import missing_cards
from judging.scoring.services import save_draft, submit_scorecard
from tests.factories import JudgeFactory, SubmissionFactory
from tests.judging.panel_setup import GOOD, GOOD_TOTAL, build_panel, fast_passwords, recuse  # noqa: F401

pytestmark = pytest.mark.django_db


def submit_all(panel, points=GOOD):
    for entry in panel.entries:
        for judge in panel.judges:
            if not judge.recusals.filter(submission=entry).exists():
                submit_scorecard(judge=judge, submission=entry, points=points)


def test_submit_scorecard_stores_lines_total_and_ledger():
    panel = build_panel()
    card = submit_scorecard(
        judge=panel.chair, submission=panel.entries[0], points=GOOD, comment="选题清晰"
    )
    assert card.status == CardStatus.SUBMITTED
    assert card.total == GOOD_TOTAL
    assert {line.item.code: line.points for line in card.lines.all()} == {
        k: Decimal(v) for k, v in GOOD.items()
    }
    entry = LedgerEntry.objects.get()
    assert (entry.seq, entry.action, entry.card) == (1, LedgerAction.SUBMIT, card)
    assert '"total":"82.5"' in entry.payload


def test_submit_scorecard_same_client_id_stored_once():
    panel = build_panel()
    client_id = uuid.uuid4()
    first = submit_scorecard(
        judge=panel.chair, submission=panel.entries[0], points=GOOD, client_id=client_id
    )
    again = submit_scorecard(
        judge=panel.chair, submission=panel.entries[0], points=GOOD, client_id=str(client_id)
    )
    assert again.pk == first.pk
    assert Scorecard.objects.count() == 1
    assert LedgerEntry.objects.count() == 1


def test_submit_scorecard_second_submit_with_other_client_id_refused():
    panel = build_panel()
    submit_scorecard(judge=panel.chair, submission=panel.entries[0], points=GOOD)
    with pytest.raises(ValidationError, match="已提交"):
        submit_scorecard(judge=panel.chair, submission=panel.entries[0], points=GOOD)


def test_submit_scorecard_client_id_of_another_card_refused():
    panel = build_panel()
    client_id = uuid.uuid4()
    submit_scorecard(
        judge=panel.chair, submission=panel.entries[0], points=GOOD, client_id=client_id
    )
    with pytest.raises(ValidationError, match="客户端编号"):
        submit_scorecard(
            judge=panel.chair, submission=panel.entries[1], points=GOOD, client_id=client_id
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"B1": "15.5"}, "B1（选题） 的分数 15.5 超出范围 0–15"),
        ({"B2": "10.2"}, "B2（原因分析） 的分数 10.2 不符合步长 0.5"),
        ({"B3": ""}, "B3（对策与实施） 未打分"),
    ],
)
def test_submit_scorecard_invalid_points_refused_and_nothing_stored(change, message):
    panel = build_panel()
    with pytest.raises(ValidationError) as raised:
        submit_scorecard(judge=panel.chair, submission=panel.entries[0], points=GOOD | change)
    assert any(message in text for text in raised.value.messages)
    assert Scorecard.objects.count() == 0
    assert LedgerEntry.objects.count() == 0


def test_submit_scorecard_ignores_client_total():
    panel = build_panel()
    card = submit_scorecard(
        judge=panel.chair, submission=panel.entries[0], points=GOOD | {"B6": "10"}
    )
    assert card.total == GOOD_TOTAL + 2


def test_submit_scorecard_recused_judge_refused_with_clear_message():
    panel = build_panel()
    recuse(panel.members[0], panel.entries[1])
    with pytest.raises(ValidationError, match="须回避"):
        submit_scorecard(judge=panel.members[0], submission=panel.entries[1], points=GOOD)


def test_submit_scorecard_judge_of_other_venue_refused():
    panel = build_panel()
    other = build_panel(event=panel.event)
    with pytest.raises(ValidationError, match="不在"):
        submit_scorecard(judge=other.chair, submission=panel.entries[0], points=GOOD)


def test_submit_scorecard_unassigned_entry_refused():
    panel = build_panel()
    loose = SubmissionFactory(event=panel.event, category=panel.venue.category)
    with pytest.raises(ValidationError, match="尚未分配分会场"):
        submit_scorecard(judge=panel.chair, submission=loose, points=GOOD)


def test_save_draft_keeps_partial_card_then_submit_completes_it():
    panel = build_panel()
    draft = save_draft(judge=panel.chair, submission=panel.entries[0], points={"B1": "10"})
    assert (draft.status, draft.total, draft.lines.count()) == (CardStatus.DRAFT, Decimal("10"), 1)
    assert LedgerEntry.objects.count() == 0
    card = submit_scorecard(judge=panel.chair, submission=panel.entries[0], points=GOOD)
    assert card.pk == draft.pk
    assert card.lines.count() == 6


def test_return_scorecard_by_chair_lets_judge_resubmit():
    panel = build_panel()
    judge = panel.members[0]
    card = submit_scorecard(judge=judge, submission=panel.entries[0], points=GOOD)
    returned = return_scorecard(card=card, actor=panel.chair.user, reason="B2 与陈述不符")
    assert (returned.status, returned.returned_reason) == (CardStatus.RETURNED, "B2 与陈述不符")
    again = submit_scorecard(judge=judge, submission=panel.entries[0], points=GOOD | {"B2": "20"})
    assert again.total == GOOD_TOTAL - 5
    assert list(LedgerEntry.objects.values_list("action", flat=True)) == [
        "submit",
        "return",
        "submit",
    ]
    assert verify_ledger(panel.event).ok


def test_return_scorecard_member_refused():
    panel = build_panel()
    card = submit_scorecard(judge=panel.chair, submission=panel.entries[0], points=GOOD)
    with pytest.raises(ValidationError, match="评审组长"):
        return_scorecard(card=card, actor=panel.members[0].user, reason="x")


def test_return_scorecard_needs_reason():
    panel = build_panel()
    card = submit_scorecard(judge=panel.members[0], submission=panel.entries[0], points=GOOD)
    with pytest.raises(ValidationError, match="原因"):
        return_scorecard(card=card, actor=panel.chair.user, reason=" ")


def test_lock_venue_refused_while_cards_missing():
    panel = build_panel()
    submit_scorecard(judge=panel.chair, submission=panel.entries[0], points=GOOD)
    with pytest.raises(ValidationError, match="还有 8 张评分卡未提交"):
        lock_venue(venue=panel.venue, actor=panel.chair.user)
    assert not VenueStatus.objects.get(venue=panel.venue).is_locked


def test_lock_venue_complete_except_recused_then_scores_frozen():
    panel = build_panel()
    recuse(panel.members[1], panel.entries[2])
    submit_all(panel)
    assert missing_cards(panel.venue) == []
    status = lock_venue(venue=panel.venue, actor=panel.chair.user)
    assert status.is_locked
    card = Scorecard.objects.filter(judge=panel.members[0]).first()
    with pytest.raises(ValidationError, match="已锁定"):
        return_scorecard(card=card, actor=panel.chair.user, reason="复核")
    with pytest.raises(ValidationError, match="已锁定"):
        save_draft(judge=panel.chair, submission=panel.entries[0], points={})
    assert verify_ledger(panel.event).ok


def test_lock_venue_override_with_reason():
    panel = build_panel()
    status = lock_venue(venue=panel.venue, actor=panel.chair.user, override_reason="评委 J03 离场")
    assert status.lock_override_reason == "评委 J03 离场"
    assert LedgerEntry.objects.get().action == LedgerAction.LOCK


def test_lock_venue_member_refused():
    panel = build_panel()
    with pytest.raises(ValidationError, match="评审组长"):
        lock_venue(venue=panel.venue, actor=panel.members[0].user, override_reason="x")


def test_unlock_venue_organizer_only_logged_then_returnable():
    panel = build_panel(judges=1, entries=1)
    submit_all(panel)
    lock_venue(venue=panel.venue, actor=panel.chair.user)
    with pytest.raises(ValidationError, match="组织者"):
        unlock_venue(venue=panel.venue, actor=panel.chair.user, reason="复核")
    with pytest.raises(ValidationError, match="原因"):
        unlock_venue(venue=panel.venue, actor=panel.organizer, reason="")
    unlock_venue(venue=panel.venue, actor=panel.organizer, reason="复核 QC 分数")
    assert panel.event.audit_log.filter(action="unlock_venue").count() == 1
    assert list(LedgerEntry.objects.values_list("action", flat=True)) == [
        "submit",
        "lock",
        "unlock",
    ]
    assert verify_ledger(panel.event).ok


def test_advance_presenting_walks_running_order():
    panel = build_panel(entries=2)
    assert (
        advance_presenting(venue=panel.venue, actor=panel.chair.user).now_presenting
        == (panel.entries[0])
    )
    assert (
        advance_presenting(venue=panel.venue, actor=panel.chair.user).now_presenting
        == (panel.entries[1])
    )
    assert advance_presenting(venue=panel.venue, actor=panel.chair.user).now_presenting is None


def test_submit_scorecard_judge_of_other_event_refused():
    panel = build_panel()
    stranger = JudgeFactory()
    with pytest.raises(ValidationError, match="不属于"):
        submit_scorecard(judge=stranger, submission=panel.entries[0], points=GOOD)


def test_sheets_kept_in_memory_are_read_afresh_once_one_is_edited():
    from judging.enums import Phase
    from judging.scoring.sheets import sheet_for

    panel = build_panel(judges=2, entries=1)
    entry = panel.entries[0]
    sheet = sheet_for(entry, phase=Phase.PRESENTATION)
    assert sheet_for(entry, phase=Phase.PRESENTATION) is sheet  # kept: no table read again
    item = sheet.items.all()[0]
    item.max_points -= 1
    item.save()
    fresh = sheet_for(entry, phase=Phase.PRESENTATION)
    assert fresh is not sheet
    assert fresh.items.all()[0].max_points == item.max_points
    # A submit checks the points against the edited item: its old maximum is refused now.
    with pytest.raises(ValidationError):
        submit_scorecard(
            judge=panel.members[0],
            submission=entry,
            points=GOOD | {item.code: str(item.max_points + 1)},
        )
