from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from judging.models import LedgerEntry, Scorecard, ScoreLine, VenueStatus
from judging.scoring.chairs import lock_venue
from judging.scoring.ledger import (
    GENESIS_HASH,
    canonical_json,
    chain_hash,
    chain_heads,
    event_head,
    head_hash,
    verify_ledger,
)
from judging.scoring.services import submit_scorecard
from tests.judging.panel_setup import GOOD, build_panel, fast_passwords  # noqa: F401


def test_canonical_json_sorted_compact_decimals_as_text():
    data = {"b": Decimal("12.50"), "a": [Decimal("10"), "评分"], "c": {"z": 1, "y": None}}
    assert canonical_json(data) == '{"a":["10","评分"],"b":"12.5","c":{"y":null,"z":1}}'


def test_chain_hash_is_sha256_of_prev_and_payload():
    # sha256("0"*64 + "{}") computed independently with hashlib.
    import hashlib

    assert chain_hash(GENESIS_HASH, "{}") == hashlib.sha256(("0" * 64 + "{}").encode()).hexdigest()


def judged():
    panel = build_panel(judges=3, entries=2)
    for entry in panel.entries:
        for judge in panel.judges:
            submit_scorecard(judge=judge, submission=entry, points=GOOD)
    return panel


@pytest.mark.django_db
def test_verify_ledger_chain_links_every_entry():
    panel = judged()
    entries = list(LedgerEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5, 6]
    assert entries[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    assert {e.chain for e in entries} == {f"venue:{panel.venue.pk}"}
    assert chain_heads(panel.event) == {f"venue:{panel.venue.pk}": (6, entries[-1].hash)}
    assert head_hash(panel.event) == event_head(panel.event, chain_heads(panel.event))
    check = verify_ledger(panel.event)
    assert (check.ok, check.entries, check.cards) == (True, 6, 6)


@pytest.mark.django_db
def test_verify_ledger_detects_score_edited_in_database():
    panel = judged()
    card = Scorecard.objects.get(judge=panel.judges[1], submission=panel.entries[1])
    ScoreLine.objects.filter(card=card, item__code="B2").update(points=Decimal("29"))
    check = verify_ledger(panel.event)
    assert not check.ok
    seq = LedgerEntry.objects.get(card=card).seq
    assert check.seq == seq
    assert check.problem == (
        f"评分卡 {panel.judges[1].code}→{panel.entries[1].code} 与{panel.venue.name} 账本记录 #{seq} 不一致："
        "评分项 B2 账本=25 当前=29"
    )


@pytest.mark.django_db
def test_verify_ledger_detects_total_edited_in_database():
    panel = judged()
    Scorecard.objects.filter(judge=panel.chair, submission=panel.entries[0]).update(total=99)
    assert "total 账本=82.5 当前=99" in verify_ledger(panel.event).problem


@pytest.mark.django_db
def test_verify_ledger_detects_payload_rewritten():
    panel = judged()
    entry = LedgerEntry.objects.get(seq=3)
    LedgerEntry.objects.filter(pk=entry.pk).update(payload=entry.payload.replace("82.5", "92.5"))
    check = verify_ledger(panel.event)
    assert (check.ok, check.seq) == (False, 3)
    assert check.problem == f"{panel.venue.name} 账本记录 #3（{entry.hash[:12]}）：内容与哈希不符"


@pytest.mark.django_db
def test_verify_ledger_detects_rehashed_entry_by_broken_link():
    panel = judged()
    entry = LedgerEntry.objects.get(seq=2)
    payload = entry.payload.replace("82.5", "92.5")
    LedgerEntry.objects.filter(pk=entry.pk).update(
        payload=payload, hash=chain_hash(entry.prev_hash, payload)
    )
    check = verify_ledger(panel.event)
    assert check.seq == 3
    assert "前一记录哈希不符" in check.problem


@pytest.mark.django_db
def test_verify_ledger_detects_deleted_entry():
    panel = judged()
    LedgerEntry.objects.filter(seq=6).delete()
    LedgerEntry.objects.filter(seq=4).delete()
    assert verify_ledger(panel.event).problem == f"{panel.venue.name} 账本记录 #4 缺失"


@pytest.mark.django_db
def test_verify_ledger_detects_card_submitted_outside_ledger():
    panel = build_panel(judges=1, entries=1)
    Scorecard.objects.create(
        judge=panel.chair, submission=panel.entries[0], sheet=panel.sheet, status="submitted"
    )
    assert "账本中没有记录" in verify_ledger(panel.event).problem


@pytest.mark.django_db
def test_verify_ledger_detects_lock_removed_in_database():
    panel = judged()
    lock_venue(venue=panel.venue, actor=panel.chair.user)
    VenueStatus.objects.filter(venue=panel.venue).update(locked_at=None)
    assert "锁定状态" in verify_ledger(panel.event).problem


@pytest.mark.django_db
def test_verify_ledger_command_exit_codes(capsys):
    panel = judged()
    call_command("verify_ledger", panel.event.slug)
    assert "账本完好" in capsys.readouterr().out
    ScoreLine.objects.filter(card__judge=panel.chair, item__code="B1").update(points=0)
    with pytest.raises(CommandError) as raised:
        call_command("verify_ledger", panel.event.slug)
    assert "账本记录 #1" in str(raised.value)
    assert raised.value.returncode == 1


@pytest.mark.django_db
def test_verify_ledger_on_judged_demo_then_direct_edit_fails():
    """The judged demo event verifies; one score changed in the database makes it fail."""
    import io

    call_command("seed_demo", "--scores", stdout=io.StringIO())
    out = io.StringIO()
    call_command("verify_ledger", "cmqa-40", stdout=out)
    assert out.getvalue().startswith("账本完好")
    line = ScoreLine.objects.filter(card__judge__event__slug="cmqa-40").order_by("pk")[100]
    ScoreLine.objects.filter(pk=line.pk).update(points=line.points + 1)
    with pytest.raises(CommandError) as raised:
        call_command("verify_ledger", "cmqa-40")
    assert raised.value.returncode == 1
    assert f"{line.card.judge.code}→{line.card.submission.code}" in str(raised.value)
