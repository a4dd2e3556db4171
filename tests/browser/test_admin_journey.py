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
    assert categories == ["QC成果", "质量信得过班组", "质量品牌故事"]
    assert len(browser.find_all("#venues-group tr.has_original")) == 10
    browser.screenshot("event")

    browser.open("/admin/submissions/submission/")
    browser.wait_for("#result_list")
    assert "548" in browser.find(".paginator").text
    assert "选择 成果 来修改" in browser.text()
