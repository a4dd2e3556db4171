"""A judge's tablet that loses the network for a whole session (issue 13).

The judge opens the venue online (the service worker keeps the venue: running order, every
scorecard page, the score sheets, the assets), then the network goes: the tablet reloads,
opens three entries from the running order and scores them, all offline. When the network
returns the three cards are sent, and the server holds each once (one card, one ledger submit).

How the network is lost: Chromium's emulation (``set_network_conditions(offline=True)``, the
CDP command ``Network.emulateNetworkConditions``) makes the page see itself offline
(``navigator.onLine`` is false, the "offline" event fires), but in Chromium 156 it does not
reach the fetches a service worker makes: measured with emulation alone, a reload of the venue
page went out through the worker and reached the server. So the test also cuts a TCP gate (tests/browser/network_gate.py) that stands between the
browser and the live server: every connection is reset and no request reaches Django, which is
what a tablet sees when the venue's Wi-Fi drops.
"""

import os
import time

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from judging.enums import CardStatus, LedgerAction
from judging.models import LedgerEntry, Scorecard
from tests.browser.network_gate import NetworkGate
from tests.browser.test_tablet_judging import (  # noqa: F401
    fill_card,
    open_card,
    sign_in,
    tablet,
    wait_for_text,
)
from tests.judging.panel_setup import GOOD, build_panel, fast_passwords  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMULATED_OFFLINE = {
    "latency": 5,
    "download_throughput": 500 * 1024,
    "upload_throughput": 500 * 1024,
}
# The gate's port; unset, the system picks a free one.
GATE_PORT = int(os.environ.get("QCX_TEST_GATE_PORT", "0"))


@pytest.fixture
def gate(live_server):
    """The live server behind a gate the test can cut; the browser uses gate.url."""
    upstream = int(live_server.url.rsplit(":", 1)[1])
    gate = NetworkGate(upstream, GATE_PORT)
    yield gate
    gate.close()


class Site:
    def __init__(self, url):
        self.url = url


def wait_ready_for_offline(driver):
    WebDriverWait(driver, 30, ignored_exceptions=[WebDriverException]).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, '#offline-ready[data-state="ready"]'))
    )


def go_offline(driver, gate):
    driver.set_network_conditions(offline=True, **EMULATED_OFFLINE)
    gate.cut()


def go_online(driver, gate):
    gate.restore()
    driver.delete_network_conditions()
    driver.execute_script("window.dispatchEvent(new Event('online'))")


def back_to_venue(driver):
    link = driver.find_element(By.CSS_SELECTOR, "main > p > a")
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", link
    )
    link.click()
    WebDriverWait(driver, 10, ignored_exceptions=[WebDriverException]).until(
        EC.presence_of_element_located((By.ID, "running-order"))
    )


def test_judge_scores_three_entries_through_a_whole_offline_session(tablet, live_server, gate):  # noqa: F811
    panel = build_panel(judges=2, entries=3)
    judge, entries = panel.members[0], panel.entries
    sign_in(tablet, Site(gate.url), judge.user)
    wait_ready_for_offline(tablet)
    wait_for_text(tablet, "#offline-ready", "3 个成果的评分卡已保存在本机")
    tablet.save_screenshot("test-artifacts/online-venue-ready.png")

    go_offline(tablet, gate)
    through = gate.sent
    tablet.refresh()  # the browser's error page without the service worker
    WebDriverWait(tablet, 15, ignored_exceptions=[WebDriverException]).until(
        EC.presence_of_element_located((By.ID, "running-order"))
    )
    wait_for_text(tablet, "#offline-banner", "网络已断开")
    tablet.save_screenshot("test-artifacts/offline-venue-page.png")
    tablet.get(f"{gate.url}/judge/")  # the judge's start page leads to the kept venue page
    WebDriverWait(tablet, 15, ignored_exceptions=[WebDriverException]).until(
        EC.url_contains(f"/judge/venues/{panel.venue.pk}/")
    )
    wait_for_text(tablet, "#running-order", entries[2].code)

    for number, entry in enumerate(entries, start=1):
        open_card(tablet, entry)
        assert tablet.find_element(By.CSS_SELECTOR, "h1").text.startswith(entry.code)
        fill_card(tablet, GOOD)
        tablet.find_element(By.ID, "submit-card").click()
        wait_for_text(tablet, "#card-state", "等待发送")
        wait_for_text(tablet, "#offline-banner", f"{number} 张评分卡等待发送")
        if number == 3:
            tablet.save_screenshot("test-artifacts/offline-scorecard-waiting.png")
        back_to_venue(tablet)
        wait_for_text(tablet, "#offline-banner", f"{number} 张评分卡等待发送")
        row = tablet.find_element(By.CSS_SELECTOR, f'[data-card-key$=":{entry.pk}"]')
        assert row.find_element(By.CSS_SELECTOR, ".js-local-state").text == "等待发送"

    tablet.save_screenshot("test-artifacts/offline-venue-three-waiting.png")
    assert gate.sent == through, "a request reached the server while offline"
    assert not Scorecard.objects.filter(status=CardStatus.SUBMITTED).exists()
    queued = tablet.execute_script(
        "return Object.keys(localStorage).filter(k => k.startsWith('qcx:card:'))"
        ".map(k => JSON.parse(localStorage.getItem(k)))"
    )
    assert sorted(r["state"] for r in queued) == ["pending"] * 3
    client_ids = {r["submission"]: r["clientId"] for r in queued}

    # A second tab on the venue page: both tabs send the queue once online, and each card must
    # still go once (one sender per card across the tablet's tabs).
    first = tablet.current_window_handle
    tablet.switch_to.new_window("tab")
    tablet.get(f"{gate.url}/judge/venues/{panel.venue.pk}/")
    wait_for_text(tablet, "#offline-banner", "3 张评分卡等待发送")
    second = tablet.current_window_handle
    tablet.switch_to.window(first)

    go_online(tablet, gate)
    tablet.switch_to.window(second)
    tablet.execute_script("window.dispatchEvent(new Event('online'))")
    tablet.switch_to.window(first)
    # Wait on the tablet, not the database: on SQLite a query from the test while the server
    # writes fails with "database table is locked".
    WebDriverWait(tablet, 30, ignored_exceptions=[WebDriverException]).until(
        lambda d: (
            d.execute_script(
                "return Object.keys(localStorage).filter(k => k.startsWith('qcx:card:')).length"
            )
            == 0
            and not d.find_element(By.ID, "offline-banner").is_displayed()
        )
    )
    time.sleep(9)  # two more retry rounds (every 4 s) must not send anything again
    cards = Scorecard.objects.filter(judge=judge)
    assert sorted(c.submission_id for c in cards) == sorted(e.pk for e in entries)
    for card in cards:
        assert card.status == CardStatus.SUBMITTED
        assert str(card.client_id) == client_ids[card.submission_id]
        submits = LedgerEntry.objects.filter(card=card, action=LedgerAction.SUBMIT)
        assert submits.count() == 1, f"{card.submission.code}: {submits.count()} ledger submits"
    assert (
        tablet.execute_script(
            "return Object.keys(localStorage).filter(k => k.startsWith('qcx:card:')).length"
        )
        == 0
    )

    # The pages kept for offline use now show the cards as sent (refreshed after each send).
    go_offline(tablet, gate)
    tablet.refresh()
    wait_for_text(tablet, "#offline-banner", "网络已断开")
    row = tablet.find_element(By.CSS_SELECTOR, f'[data-card-key$=":{entries[0].pk}"]')
    row.find_element(By.CSS_SELECTOR, "a.btn-success").click()
    WebDriverWait(tablet, 10).until(EC.presence_of_element_located((By.ID, "scorecard")))
    assert tablet.find_element(By.ID, "scorecard").get_attribute("data-status") == "submitted"
    assert tablet.find_element(By.ID, "submit-card").get_attribute("disabled") == "true"
    go_online(tablet, gate)


def kept_judge_caches(driver) -> list[str]:
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "caches.keys().then(names => done(names.filter(n => n.startsWith('qcx-judge-'))))"
    )


def test_signing_out_forgets_the_pages_kept_for_the_judge(tablet, live_server, gate):  # noqa: F811
    panel = build_panel(judges=2, entries=1)
    judge, entry = panel.members[0], panel.entries[0]
    sign_in(tablet, Site(gate.url), judge.user)
    wait_ready_for_offline(tablet)
    assert len(kept_judge_caches(tablet)) == 1
    tablet.find_element(By.CSS_SELECTOR, "form.js-logout button").click()
    WebDriverWait(tablet, 10).until(lambda d: "/judge/" not in d.current_url)
    assert kept_judge_caches(tablet) == []
    # The next user of the tablet, offline, finds nothing of the judge's.
    go_offline(tablet, gate)
    tablet.get(f"{gate.url}/judge/entries/{entry.pk}/")
    wait_for_text(tablet, "body", "此页面未保存在本平板上")
    assert tablet.find_elements(By.ID, "scorecard") == []
    go_online(tablet, gate)
