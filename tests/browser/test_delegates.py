"""Journey: an enterprise registers two delegates in the portal, the organizer imports 650
from a workbook and renders the badges, the door checks one in by typing its code as a USB
scanner would, and the control room's count rises."""

import datetime as dt

import openpyxl
import pytest
from django.utils import timezone
from selenium.webdriver.common.keys import Keys

from submissions.models import Delegate
from tests.factories import (
    CategoryFactory,
    EventFactory,
    MembershipFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def press(browser, css):
    element = browser.wait_for(css)
    browser.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )
    element.click()


def workbook(path, count):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "delegates"
    sheet.append(
        ["姓名", "单位", "统一社会信用代码", "职务", "手机", "电子邮箱", "参会类型", "住宿"]
    )
    for n in range(count):
        sheet.append(
            [f"代表{n}", f"机械企业{n % 170}有限公司", "", "质量经理", f"139{n:08d}", "", "代表",
             "是" if n % 2 else "否"]
        )  # fmt: skip
    book.save(path)


def register(browser, slug, name, mobile):
    browser.open(f"/portal/{slug}/delegates/new/")
    browser.fill("#id_name", name)
    browser.fill("#id_mobile", mobile)
    browser.fill("#id_title", "质量部长")
    press(browser, "#delegate-form [type=submit]")
    browser.wait_for("#delegates")


def test_delegates_badges_and_checkin(browser, tmp_path):
    event = EventFactory(
        slug="people-ev", registration_closes=timezone.now() + dt.timedelta(days=5)
    )
    VenueFactory(event=event, category=CategoryFactory(event=event), number=1)
    membership = MembershipFactory(user=UserFactory(username="ent"))
    organizer = UserFactory(username="orga")
    event.staff.add(organizer)

    browser.login("ent", PASSWORD, path="/accounts/login/")
    register(browser, event.slug, "王强", "13800001111")
    register(browser, event.slug, "李娜", "13800002222")
    assert [row.text.split()[0] for row in browser.find_all("#delegates tbody tr")] == [
        "王强",
        "李娜",
    ]
    assert Delegate.objects.filter(enterprise=membership.enterprise).count() == 2

    browser.driver.delete_all_cookies()
    browser.login("orga", PASSWORD, path="/accounts/login/")
    browser.open(f"/orga/{event.slug}/people/")
    path = tmp_path / "delegates.xlsx"
    workbook(path, 650)
    browser.wait_for("#id_file").send_keys(str(path))
    press(browser, "#import-form [type=submit]")
    browser.wait_for(".alert-success", timeout=60)
    assert browser.find("#fig-delegates").text == "652"

    press(browser, "#render-badges")
    browser.wait_for("#badges-pdf", timeout=240)

    browser.open(f"/orga/{event.slug}/")
    control = browser.driver.current_window_handle
    row = "#attendance tr[data-session=plenary] .arrived"
    assert browser.wait_for(row).text == "0"

    browser.driver.switch_to.new_window("tab")
    browser.open(f"/orga/{event.slug}/checkin/")
    code = Delegate.objects.get(mobile="13800001111").checkin_code
    browser.wait_for("#code").send_keys(code + Keys.ENTER)
    answer = browser.wait_for("#answer[data-status=ok]", timeout=10)
    assert "王强" in answer.text
    assert browser.driver.switch_to.active_element.get_attribute("id") == "code"
    browser.wait_for("#code").send_keys(code + Keys.ENTER)
    assert "王强" in browser.wait_for("#answer[data-status=used]", timeout=10).text
    browser.wait_for("#code").send_keys("NOSUCHCODE" + Keys.ENTER)
    browser.wait_for("#answer[data-status=unknown]", timeout=10)

    browser.driver.switch_to.window(control)
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser.driver, 15).until(lambda d: browser.find(row).text == "1")
