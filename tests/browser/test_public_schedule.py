"""A visitor checks the venue schedule on a phone: venues side by side, search, now presenting."""

import os
from pathlib import Path

import pytest

from judging.models import VenueAssignment, VenueStatus
from judging.schedule_service import assign_venues
from tests.conftest import require_service
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    EventFactory,
    SubmissionFactory,
    VenueFactory,
)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
PHONE = (390, 844)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(live_server):
    """Yield a phone-sized headless Chromium on the live server."""
    require_service(
        "Chromium",
        Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(),
        "apt-get install chromium chromium-driver",
    )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--window-size={PHONE[0]},{PHONE[1]}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(*PHONE)
    driver.base_url = live_server.url
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def schedule_event():
    event = EventFactory(slug="demo")
    qc = CategoryFactory(event=event)
    team = CategoryFactory(event=event, kind="team", code_prefix="TD", name="质量信得过班组")
    venues = [VenueFactory(event=event, category=qc, number=n) for n in (1, 2)]
    venues.append(VenueFactory(event=event, category=team, number=3))
    xcmg = EnterpriseFactory(name="徐工集团工程机械股份有限公司", short_name="徐工")
    for i in range(1, 9):
        SubmissionFactory(
            event=event,
            category=qc,
            code=f"QC-{i:03d}",
            enterprise=xcmg if i == 3 else EnterpriseFactory(),
            group_name=f"第{i}QC小组",
        )
    for i in range(1, 4):
        SubmissionFactory(event=event, category=team, code=f"TD-{i:03d}", topic_type="")
    assign_venues(event=event, seed=1)
    first, second = VenueAssignment.objects.filter(venue=venues[0]).order_by("draw_number")[:2]
    VenueStatus.objects.create(venue=venues[0], now_presenting=first.submission)
    return event, first, second


def visible(driver, css):
    return [e for e in driver.find_elements("css selector", css) if e.is_displayed()]


def test_public_schedule_on_a_phone(phone, schedule_event):
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    event, first, second = schedule_event
    phone.get(f"{phone.base_url}/e/{event.slug}/schedule/")

    venues = phone.find_elements("css selector", ".schedule-venue")
    assert len(venues) == 3
    # The page itself does not scroll sideways; the venues do, within their board.
    page_width = phone.execute_script("return document.documentElement.scrollWidth")
    view_width = phone.execute_script("return window.innerWidth")
    assert page_width <= view_width
    board = phone.find_element("id", "schedule-board")
    assert phone.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", board)
    assert venues[0].size["width"] <= view_width

    now = phone.find_element("css selector", "#venue-1 .schedule-now")
    assert first.submission.group_name in now.text
    assert (
        second.submission.group_name
        in phone.find_element("css selector", "#venue-1 .schedule-next").text
    )

    # Typing filters at once ...
    phone.find_element("id", "schedule-q").send_keys("徐工")
    WebDriverWait(phone, 5).until(
        lambda d: len(visible(d, "#venue-1 .schedule-entry, #venue-2 .schedule-entry")) == 1
    )
    # ... and submitting asks the server, which keeps the query in the address.
    phone.find_element("css selector", ".schedule-search button[type=submit]").click()
    WebDriverWait(phone, 5).until(
        expected_conditions.presence_of_element_located(("id", "schedule-hits"))
    )
    enterprises = phone.find_elements("css selector", ".schedule-entry .schedule-enterprise")
    assert [e.text for e in enterprises] == ["徐工集团工程机械股份有限公司"]
    assert "q=" in phone.current_url
