"""Journey: the demo organizer signs in and opens the demo event in the admin."""

import pytest

from judging.demo.build import seed_demo
from judging.demo.catalogue import ORGANIZER_PASSWORD, ORGANIZER_USERNAME

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("window_size", ["desktop", "tablet"], indirect=True)
def test_organizer_opens_the_demo_event_in_the_admin(browser):
    event = seed_demo(seed=40).event

    browser.open("/admin/")
    assert browser.path.startswith("/admin/login/")
    browser.login(ORGANIZER_USERNAME, ORGANIZER_PASSWORD)
    browser.wait_for("#content-main")
    assert browser.path == "/admin/"

    browser.click("tr.model-event th a")
    browser.wait_for("#result_list")
    browser.click(f"#result_list a[href$='/admin/events/event/{event.pk}/change/']")
    browser.wait_for("#categories-group")

    assert browser.find("#id_name").get_attribute("value") == event.name
    categories = [
        field.get_attribute("value")
        for field in browser.find_all("#categories-group tr.has_original input[name$='-name']")
    ]
    assert categories == [
        "QC成果",
        "质量信得过班组",
        "质量品牌故事",
        "40年优秀组织单位",
        "40年优秀个人",
    ]
    # ten venues on the judging day and the written reviews of the two honours
    assert len(browser.find_all("#venues-group tr.has_original")) == 12
    browser.screenshot("event")

    browser.open("/admin/submissions/submission/")
    browser.wait_for("#result_list")
    # 548 entries and 50 nominations of cmqa-40, 6 of the contest announced at it
    assert "604" in browser.find(".paginator").text
    assert "选择 成果 来修改" in browser.text()
