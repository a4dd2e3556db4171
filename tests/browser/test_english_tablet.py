"""A judge who picks English on the tablet: the page and its script speak English, offline too."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from judging.enums import CardStatus
from judging.models import Scorecard
from tests.browser.test_tablet_judging import (  # noqa: F401
    fill_card,
    open_card,
    sign_in,
    tablet,
    wait_for_text,
)
from tests.judging.panel_setup import GOOD, build_panel, fast_passwords  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFLINE = {"latency": 5, "download_throughput": 500 * 1024, "upload_throughput": 500 * 1024}


def test_judge_switches_to_english_and_submits_offline(tablet, live_server, english_catalogue):  # noqa: F811
    panel = build_panel(judges=2, entries=1)
    judge, entry = panel.members[0], panel.entries[0]
    sign_in(tablet, live_server, judge.user)
    assert tablet.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    tablet.find_element(By.CSS_SELECTOR, "a[lang='en']").click()  # the switcher is a plain link
    WebDriverWait(tablet, 10).until(
        lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    )
    assert tablet.find_element(By.CSS_SELECTOR, ".navbar a[href='/judge/']").text == "Judging"
    open_card(tablet, entry)
    assert tablet.find_element(By.ID, "submit-card").text == "Submit scores"
    assert "(0–15, step 0.50)" in tablet.find_element(By.ID, "scorecard").text
    fill_card(tablet, {"B1": "99"})
    tablet.find_element(By.ID, "submit-card").click()
    wait_for_text(tablet, "#card-errors", "Above the maximum of 15")
    tablet.set_network_conditions(offline=True, **OFFLINE)
    fill_card(tablet, GOOD)
    tablet.find_element(By.ID, "submit-card").click()
    wait_for_text(tablet, "#card-state", "Waiting to send")
    wait_for_text(tablet, "#offline-banner", "Offline: showing the pages kept on this tablet")
    wait_for_text(tablet, "#offline-banner", "1 scorecard waiting to send")
    tablet.delete_network_conditions()
    tablet.execute_script("window.dispatchEvent(new Event('online'))")
    wait_for_text(tablet, "#card-state", "Submitted", timeout=30)  # the tablet retries every 4 s
    assert Scorecard.objects.get(judge=judge, submission=entry).status == CardStatus.SUBMITTED
