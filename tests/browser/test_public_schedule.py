"""A visitor checks the venue schedule on a phone: venues side by side, search, now presenting."""

import pytest

from judging.models import VenueAssignment, VenueStatus
from judging.schedule.services import assign_venues
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    EventFactory,
    SubmissionFactory,
    VenueFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


@pytest.mark.parametrize("window_size", ["phone"], indirect=True)
def test_public_schedule_on_a_phone(browser, schedule_event):
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    event, first, second = schedule_event
    browser.open(f"/e/{event.slug}/schedule/")
    phone = browser.driver

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
    browser.screenshot("search")


@pytest.mark.parametrize("window_size", ["phone"], indirect=True)
def test_public_schedule_refreshes_now_presenting(browser, schedule_event):
    from selenium.webdriver.support.ui import WebDriverWait

    event, first, second = schedule_event
    browser.open(f"/e/{event.slug}/schedule/")
    status = VenueStatus.objects.get(venue=first.venue)
    status.now_presenting = second.submission
    status.save()
    # The page refreshes every 30 s and whenever it becomes visible again.
    browser.driver.execute_script("document.dispatchEvent(new Event('visibilitychange'))")
    WebDriverWait(browser.driver, 5).until(
        lambda d: (
            second.submission.group_name
            in d.find_element("css selector", "#venue-1 .schedule-now").text
        )
    )
    highlighted = browser.find_all("#venue-1 .schedule-entry.is-now")
    assert [e.get_attribute("data-code") for e in highlighted] == [second.submission.code]
