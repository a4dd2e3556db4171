"""Journey: an organizer signs in, lands on their control room, opens the set-up page, starts
next year's event with the clone button, reads its checklist, and the public results page of
the new event says when its results come instead of a dead end."""

import datetime as dt
from decimal import Decimal

import pytest

from events.models import Event
from tests.factories import (
    CategoryFactory,
    EventFactory,
    JudgeFactory,
    PanelSeatFactory,
    UserFactory,
    VenueFactory,
    problem_solving_sheet,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(browser, css):
    element = browser.wait_for(css)
    browser.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )
    element.click()


def test_organizer_clones_last_years_event_and_reads_its_checklist(browser):
    event = EventFactory(slug="cmqa-40", number=40, name="机械工业第40次群众性质量管理成果交流活动")
    organizer = UserFactory(username="organizer40")
    event.staff.add(organizer)
    category = CategoryFactory(event=event, quota_percent=Decimal("50"))
    problem_solving_sheet(category)
    venue = VenueFactory(event=event, category=category, number=1, room="西湖厅")
    PanelSeatFactory(judge=JudgeFactory(event=event), venue=venue, role="chair")

    browser.login("organizer40", "correct-horse-battery", path="/accounts/login/")
    browser.wait_for("#venues")
    assert browser.path == "/orga/cmqa-40/"  # an organizer lands on their control room

    press(browser, "nav a[href='/orga/']")  # 我的活动 in the top bar
    press(browser, "a[href='/orga/cmqa-40/setup/']")
    browser.wait_for("#checklist")
    assert "申报时间" in browser.text() and "尚未设置申报开始和截止时间" in browser.text()

    browser.fill("#id_slug", "cmqa-41")
    browser.driver.execute_script("document.querySelector('#id_start').value = '2022-09-22';")
    browser.screenshot("1-source-setup")
    source_page = browser.find("#checklist")
    press(browser, "#clone-button")
    # The source's own set-up page shows the same checklist: wait for the new event's page.
    browser.wait_gone(source_page, timeout=30)
    browser.wait_for("[data-check='judges']")
    assert browser.path == "/orga/cmqa-41/setup/"
    text = browser.text()
    assert "已按“机械工业第40次群众性质量管理成果交流活动”的配置创建" in text
    assert "机械工业第41次群众性质量管理成果交流活动" in text
    assert "第1分会场 没有评审组长" in text and "尚未添加评委" in text
    assert browser.find("[data-check='sheets']").get_attribute("data-ok") == "1"
    browser.screenshot("2-new-event-checklist")

    new = Event.objects.get(slug="cmqa-41")
    assert new.start_date == dt.date(2022, 9, 22)
    assert new.venues.get().day == dt.date(2022, 9, 23)
    assert new.judges.count() == 0

    browser.open("/e/cmqa-41/results/")
    pending = browser.wait_for("#results-pending")
    assert "评选结果尚未公示" in pending.text
    assert "现场评审日期：2022-09-23" in pending.text
    browser.screenshot("3-results-before-publication")

    browser.open("/no-such-page/")
    assert "页面不存在" in browser.wait_for("#error-page").text
    browser.screenshot("4-not-found")
