"""Judges and chairs on a 10-inch tablet in a real Chromium: score, go offline, return, lock."""

import shutil
import time
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from judging.enums import CardStatus
from judging.models import LedgerEntry, Scorecard, VenueStatus
from judging.scoring.services import submit_scorecard
from tests.judging.panel_setup import GOOD, build_panel, fast_passwords, recuse  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct-horse-battery"


@pytest.fixture
def tablet():
    """A Chromium sized like a 10-inch tablet in landscape (1280 × 800 CSS pixels)."""
    if not shutil.which("chromedriver") or not shutil.which("chromium"):
        pytest.skip("Chromium and chromedriver are not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size=1280,800")
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()


def sign_in(driver, live_server, user, next_path="/judge/"):
    driver.get(f"{live_server.url}/accounts/login/?next={next_path}")
    driver.find_element(By.NAME, "username").send_keys(user.username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit].w-100").click()
    # The login page's own URL names next_path (?next=): wait for the path itself.
    WebDriverWait(driver, 10).until(
        lambda d: urlparse(d.current_url).path.startswith(next_path.rstrip("/"))
    )


def wait_for_text(driver, selector, text, timeout=15):
    # Chromium can refuse to read a node of a page being replaced; wait through it.
    WebDriverWait(driver, timeout, ignored_exceptions=[WebDriverException]).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, selector), text)
    )


def fill_card(driver, points):
    for code, value in points.items():
        field = driver.find_element(By.ID, f"item-{code}")
        field.clear()
        field.send_keys(value)


def open_card(driver, entry):
    row = WebDriverWait(driver, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, f'[data-card-key$=":{entry.pk}"]'))
    )
    # Follow the card's link as the tap does; a tap while the landing page still redirects
    # to the venue page could fall on the page being left.
    link = row.find_element(By.CSS_SELECTOR, "a.btn-primary, a.btn-warning")
    driver.get(link.get_attribute("href"))
    WebDriverWait(driver, 20).until(EC.presence_of_element_located((By.ID, "scorecard")))


def test_judge_scores_with_steppers_and_submits(tablet, live_server):
    panel = build_panel(judges=2, entries=2)
    judge, entry = panel.members[0], panel.entries[0]
    sign_in(tablet, live_server, judge.user)
    open_card(tablet, entry)
    fill_card(tablet, GOOD | {"B1": "11"})
    tablet.find_element(By.CSS_SELECTOR, '[data-code="B1"] .js-step[data-delta="1"]').click()
    assert tablet.find_element(By.ID, "item-B1").get_attribute("value") == "11.5"
    assert tablet.find_element(By.ID, "total").text == "82"
    tablet.find_element(By.ID, "comment").send_keys("数据翔实")
    tablet.find_element(By.ID, "submit-card").click()
    wait_for_text(tablet, "#card-state", "已提交")
    card = Scorecard.objects.get(judge=judge, submission=entry)
    assert (card.status, card.total, card.comment) == (
        CardStatus.SUBMITTED,
        Decimal("82"),
        "数据翔实",
    )
    assert tablet.find_element(By.ID, "item-B2").get_attribute("disabled") == "true"


def test_offline_mid_card_then_reconnect_stores_exactly_one_card(tablet, live_server):
    panel = build_panel(judges=2, entries=1)
    judge, entry = panel.members[0], panel.entries[0]
    sign_in(tablet, live_server, judge.user)
    open_card(tablet, entry)
    fill_card(tablet, {"B1": "12", "B2": "25"})
    tablet.set_network_conditions(
        offline=True, latency=5, download_throughput=500 * 1024, upload_throughput=500 * 1024
    )
    fill_card(tablet, {"B3": "16.5", "B4": "17", "B5": "4", "B6": "8"})
    tablet.find_element(By.ID, "submit-card").click()
    wait_for_text(tablet, "#card-state", "等待发送")
    assert not Scorecard.objects.filter(status=CardStatus.SUBMITTED).exists()
    # Retries while offline must not store anything; the queued card survives in the tablet.
    tablet.execute_script("window.dispatchEvent(new Event('online'))")
    stored = tablet.execute_script(f"return localStorage.getItem('qcx:card:{judge.pk}:{entry.pk}')")
    assert '"state":"pending"' in stored
    tablet.delete_network_conditions()
    tablet.execute_script("window.dispatchEvent(new Event('online'))")
    wait_for_text(tablet, "#card-state", "已提交", timeout=30)  # the tablet retries every 4 s
    cards = Scorecard.objects.filter(judge=judge, submission=entry)
    assert [(c.status, c.total) for c in cards] == [(CardStatus.SUBMITTED, Decimal("82.5"))]
    assert LedgerEntry.objects.filter(card__in=cards).count() == 1
    assert (
        tablet.execute_script(f"return localStorage.getItem('qcx:card:{judge.pk}:{entry.pk}')")
        is None
    )


def test_typed_points_survive_a_reload(tablet, live_server):
    panel = build_panel(judges=1, entries=1)
    sign_in(tablet, live_server, panel.chair.user)
    open_card(tablet, panel.entries[0])
    tablet.set_network_conditions(
        offline=True, latency=5, download_throughput=500 * 1024, upload_throughput=500 * 1024
    )
    fill_card(tablet, {"B1": "13.5", "B2": "20"})
    tablet.delete_network_conditions()
    tablet.refresh()
    WebDriverWait(tablet, 10).until(EC.presence_of_element_located((By.ID, "scorecard")))
    assert tablet.find_element(By.ID, "item-B1").get_attribute("value") == "13.5"
    assert tablet.find_element(By.ID, "item-B2").get_attribute("value") == "20"
    assert tablet.find_element(By.ID, "total").text == "33.5"


def test_chair_returns_a_card_and_locks_the_venue(tablet, live_server):
    panel = build_panel(judges=2, entries=1)
    member, entry = panel.members[0], panel.entries[0]
    submit_scorecard(judge=panel.chair, submission=entry, points=GOOD)
    card = submit_scorecard(judge=member, submission=entry, points=GOOD | {"B2": "5"})
    sign_in(
        tablet, live_server, panel.chair.user, next_path=f"/judge/venues/{panel.venue.pk}/chair/"
    )
    tablet.find_element(By.CSS_SELECTOR, f'[data-judge="{member.code}"] a').click()
    tablet.find_element(By.ID, "id_reason").send_keys("B2 分数与陈述不符，请复核")
    tablet.find_element(By.ID, "return-card").click()
    wait_for_text(tablet, ".alert-success", "退回")
    card.refresh_from_db()
    assert (card.status, card.returned_reason) == (CardStatus.RETURNED, "B2 分数与陈述不符，请复核")
    # The matrix polls every 5 s; a poll while nothing changed leaves it as it is (204), and
    # the poll after the judge resubmits shows the card without a reload.
    cell = f'[data-judge="{member.code}"][data-entry="{entry.code}"]'
    time.sleep(6)
    assert tablet.find_element(By.CSS_SELECTOR, cell).get_attribute("data-state") == "returned"
    submit_scorecard(judge=member, submission=entry, points=GOOD)
    WebDriverWait(tablet, 15).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, f'{cell}[data-state="submitted"]'))
    )
    tablet.find_element(By.ID, "lock-venue").click()
    wait_for_text(tablet, "#locked-notice", "已锁定")
    assert VenueStatus.objects.get(venue=panel.venue).is_locked


def test_recused_entry_cannot_be_scored_in_portrait(tablet, live_server):
    tablet.set_window_size(800, 1280)
    panel = build_panel(judges=2, entries=2)
    judge, entry = panel.members[0], panel.entries[1]
    recuse(judge, entry)
    sign_in(tablet, live_server, judge.user)
    row = tablet.find_element(By.CSS_SELECTOR, f'[data-card-key$=":{entry.pk}"]')
    assert "recused" in row.get_attribute("class")
    assert row.find_elements(By.CSS_SELECTOR, "a") == []
    tablet.get(f"{live_server.url}/judge/entries/{entry.pk}/")
    assert tablet.find_element(By.ID, "recused-notice").is_displayed()
    assert tablet.find_elements(By.ID, "scorecard") == []


def test_big_screen_countdown_warns_at_one_minute_and_shows_overrun(tablet, live_server):
    import datetime as dt

    from django.utils import timezone
    from selenium.common.exceptions import StaleElementReferenceException

    from qcexchange.versions import bump_presenting

    panel = build_panel(judges=1, entries=2)
    slot = panel.venue.category.slot_total_minutes * 60
    status = VenueStatus.objects.create(
        venue=panel.venue,
        now_presenting=panel.entries[0],
        presenting_since=timezone.now() - dt.timedelta(seconds=slot - 30),
    )
    url = f"{live_server.url}/e/{panel.event.slug}/venues/{panel.venue.number}/screen/"
    tablet.get(url)

    def countdown(driver):  # found anew each time: the screen's poll may swap it in again
        return driver.find_element(By.CSS_SELECTOR, ".js-countdown")

    WebDriverWait(tablet, 5, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: "warning" in countdown(d).get_attribute("class")
    )
    assert countdown(tablet).text.startswith("0:")
    status.presenting_since = timezone.now() - dt.timedelta(seconds=slot + 75)
    status.save()
    bump_presenting(panel.venue)  # as advance_presenting does: the screen shows the change
    tablet.get(url)
    WebDriverWait(tablet, 5, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: "overrun" in countdown(d).get_attribute("class")
    )
    assert countdown(tablet).text.startswith("超时 +1:1")
