"""The ledger head anchored outside the chain: lock receipts, the published page, signed exports.

Finding 6 of the trust review: deleting the newest ledger entry together with its card left
verify_ledger content, for the head of the chain was anchored nowhere.
"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from judging.models import AnchorKind, LedgerAnchor, LedgerEntry, Scorecard, VenueStatus
from judging.scoring.anchors import parse_anchor_text, record_anchor, text_of
from judging.scoring.chairs import lock_venue
from judging.scoring.ledger import (
    append_entry,
    card_state,
    chain_heads,
    head_hash,
    verify_ledger,
)
from judging.scoring.services import submit_scorecard
from tests.judging.panel_setup import GOOD, build_panel, fast_passwords  # noqa: F401

pytestmark = pytest.mark.django_db


def judged(judges=3, entries=2):
    panel = build_panel(judges=judges, entries=entries)
    for entry in panel.entries:
        for judge in panel.judges:
            submit_scorecard(judge=judge, submission=entry, points=GOOD)
    return panel


def delete_newest_card(event):
    """What the attacker does: the newest entry and its card disappear together."""
    newest = LedgerEntry.objects.filter(event=event, card__isnull=False).order_by("-pk").first()
    card_id = newest.card_id
    LedgerEntry.objects.filter(pk=newest.pk).delete()
    Scorecard.objects.filter(pk=card_id).delete()  # its lines go with it


def export(event, tmp_path, name="anchor.txt"):
    path = tmp_path / name
    call_command("export_ledger_anchor", event.slug, str(path), stdout=io.StringIO())
    return path


def test_newest_card_deleted_with_its_entry_is_found_by_the_exported_anchor(tmp_path):
    panel = judged()
    path = export(panel.event, tmp_path)
    delete_newest_card(panel.event)
    LedgerAnchor.objects.all().delete()  # the stored anchors are in the database too
    call_command("verify_ledger", panel.event.slug, stdout=io.StringIO())  # the chain alone holds
    with pytest.raises(CommandError) as raised:
        call_command("verify_ledger", panel.event.slug, "--anchor", str(path))
    assert raised.value.returncode == 1
    message = str(raised.value)
    assert f"锚点文件 {path}" in message
    assert "有 6 条记录" in message and "只有 5 条" in message
    assert "最新的记录被删除" in message


def test_newest_card_deleted_is_found_by_the_stored_export_anchor(tmp_path):
    panel = judged()
    export(panel.event, tmp_path)
    delete_newest_card(panel.event)
    check = verify_ledger(panel.event)
    assert not check.ok
    assert check.problem.startswith("组织者导出锚点")
    assert check.seq == 6


def test_lock_receipt_anchors_the_head_of_the_venue_and_of_the_event():
    panel = judged()
    lock_venue(venue=panel.venue, actor=panel.chair.user)
    receipt = LedgerAnchor.objects.get(kind=AnchorKind.LOCK, venue=panel.venue)
    heads = chain_heads(panel.event)
    assert receipt.entries == 7  # six cards and the lock
    assert receipt.head == head_hash(panel.event)
    assert f'"venue:{panel.venue.pk}":[7,"{heads[f"venue:{panel.venue.pk}"][1]}"]' in receipt.heads
    # The lock entry, the newest card and the lock itself are erased in the database.
    LedgerEntry.objects.filter(event=panel.event, action="lock").delete()
    delete_newest_card(panel.event)
    VenueStatus.objects.filter(venue=panel.venue).update(locked_at=None, locked_by=None)
    check = verify_ledger(panel.event)
    assert not check.ok
    assert check.problem.startswith("分会场锁定回执锚点")
    assert "有 7 条记录" in check.problem


def test_anchor_rewritten_in_the_database_fails_its_signature():
    panel = judged()
    anchor = record_anchor(event=panel.event, kind=AnchorKind.EXPORT)
    delete_newest_card(panel.event)
    heads = chain_heads(panel.event)
    chain, (count, hash_) = next(iter(heads.items()))
    LedgerAnchor.objects.filter(pk=anchor.pk).update(heads=f'{{"{chain}":[{count},"{hash_}"]}}')
    assert "签名不符" in verify_ledger(panel.event).problem


def test_anchor_file_edited_fails_its_signature(tmp_path):
    panel = judged()
    path = export(panel.event, tmp_path)
    delete_newest_card(panel.event)
    LedgerAnchor.objects.all().delete()
    heads = chain_heads(panel.event)
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.startswith("chain ")
    ]
    lines += [f"chain {c} {n} {h}" for c, (n, h) in heads.items()]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CommandError, match="签名不符"):
        call_command("verify_ledger", panel.event.slug, "--anchor", str(path))


def test_anchor_file_of_an_intact_ledger_verifies(tmp_path):
    panel = judged()
    path = export(panel.event, tmp_path)
    panel2_entry = panel.entries[0]
    assert panel2_entry  # later entries beyond the anchor are fine: the anchor is a prefix
    out = io.StringIO()
    call_command("verify_ledger", panel.event.slug, "--anchor", str(path), stdout=out)
    assert out.getvalue().startswith("账本完好：6 条记录")
    assert "2 个锚点相符" in out.getvalue()  # the stored export and the file


def test_anchor_file_unreadable_line_is_named(tmp_path):
    panel = judged(judges=1, entries=1)
    path = tmp_path / "bad.txt"
    path.write_text("event=x\nchain venue:1 seven abc\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 行无法识别"):
        call_command("verify_ledger", panel.event.slug, "--anchor", str(path))


def test_anchor_text_round_trips():
    panel = judged(judges=1, entries=1)
    row = record_anchor(event=panel.event, kind=AnchorKind.EXPORT)
    anchor = parse_anchor_text(text_of(row), source="x")
    assert anchor.heads == chain_heads(panel.event)
    assert anchor.head == row.head
    assert verify_ledger(panel.event, anchors=[anchor]).ok


def test_chair_sees_and_downloads_the_lock_receipt(client):
    panel = judged()
    lock_venue(venue=panel.venue, actor=panel.chair.user)
    receipt = LedgerAnchor.objects.get(kind=AnchorKind.LOCK)
    client.force_login(panel.chair.user)
    page = client.get(reverse("judging:chair", args=[panel.venue.pk])).content.decode()
    assert 'id="lock-receipt"' in page
    assert receipt.head in page
    download = client.get(reverse("judging:chair_receipt", args=[panel.venue.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    text = download.content.decode()
    assert "锁定回执" in text and f"head={receipt.head}" in text
    assert verify_ledger(panel.event, anchors=[parse_anchor_text(text)]).ok
    other = panel.judges[1]
    client.force_login(other.user)
    assert client.get(reverse("judging:chair_receipt", args=[panel.venue.pk])).status_code == 404


def test_organizer_exports_a_signed_anchor(client):
    panel = judged()
    client.force_login(panel.organizer)
    response = client.post(reverse("judging:export_anchor", args=[panel.event.slug]))
    assert response.status_code == 200
    anchor = parse_anchor_text(response.content.decode())
    assert anchor.kind == "export" and anchor.entries == 6
    assert verify_ledger(panel.event, anchors=[anchor]).ok
    client.force_login(panel.chair.user)
    response = client.post(reverse("judging:export_anchor", args=[panel.event.slug]))
    assert response.status_code == 404


def test_legacy_event_chain_still_verifies_and_new_entries_chain_per_venue():
    """A ledger written before per-venue chains (one event-wide chain) verifies after upgrade."""
    panel = build_panel(judges=2, entries=2)
    first = panel.entries[0]
    # The old shape: cards chained event-wide, payloads without a chain name.
    for judge in panel.judges:
        card = submit_scorecard(judge=judge, submission=first, points=GOOD)
    legacy = list(LedgerEntry.objects.order_by("pk"))
    LedgerEntry.objects.all().delete()
    for entry in legacy:
        card = Scorecard.objects.get(pk=entry.card_id)
        append_entry(
            event=panel.event, action="submit", data={"state": card_state(card)}, card=card
        )
    assert set(LedgerEntry.objects.values_list("chain", flat=True)) == {"event"}
    assert '"chain"' not in LedgerEntry.objects.first().payload
    legacy_head = head_hash(panel.event)
    assert legacy_head == LedgerEntry.objects.order_by("-seq").first().hash
    for judge in panel.judges:
        submit_scorecard(judge=judge, submission=panel.entries[1], points=GOOD)
    assert set(chain_heads(panel.event)) == {"event", f"venue:{panel.venue.pk}"}
    check = verify_ledger(panel.event)
    assert (check.ok, check.entries, check.cards) == (True, 4, 4)
    LedgerEntry.objects.filter(chain="event", seq=2).update(chain=f"venue:{panel.venue.pk}", seq=3)
    assert not verify_ledger(panel.event).ok
