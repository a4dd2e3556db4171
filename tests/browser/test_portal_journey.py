"""Journey: an enterprise signs up, fills a QC entry with five members, uploads the report,
submits it, and sees it frozen in its list."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from submissions.models import Submission
from tests.factories import CategoryFactory, EventFactory
from tests.submissions.conftest import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBERS = [
    ("张伟", "leader"),
    ("李娜", "deputy"),
    ("王强", "member"),
    ("赵敏", "member"),
    ("钱多", "member"),
]


def press(browser, css):
    """Scroll the element to the middle of the window and click it, as a person would."""
    element = browser.wait_for(css)
    browser.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )
    element.click()


def set_value(browser, css, value):
    browser.driver.execute_script(
        "arguments[0].value = arguments[1];", browser.wait_for(css), value
    )


def test_enterprise_signs_up_and_submits_a_qc_entry(browser, tmp_path):
    from selenium.webdriver.support.ui import Select

    now = timezone.now()
    event = EventFactory(
        slug="cmqa-41",
        name="机械工业第41次群众性质量管理成果交流活动",
        submission_opens=now - dt.timedelta(days=1),
        submission_closes=now + dt.timedelta(days=20),
    )
    CategoryFactory(event=event, kind="qc", name="QC成果", code_prefix="QC")

    browser.open("/accounts/signup/")
    for field, value in {
        "enterprise_name": "杭州精工机械股份有限公司",
        "credit_code": "91330106MA2AB1C2XM",
        "full_name": "张伟",
        "email": "zw@example.com",
        "username": "zhangwei",
        "password1": "质量-Quality-2021",
        "password2": "质量-Quality-2021",
    }.items():
        browser.fill(f"#id_{field}", value)
    browser.screenshot("signup")
    form = browser.find("#signup-form")
    press(browser, "#signup-form [type=submit]")
    browser.wait_gone(form, timeout=30)  # the sign-up page has a main h1 of its own
    browser.wait_for("main h1", timeout=30)
    assert "请确认邮箱" in browser.text()

    link = re.search(r"http://\S+/accounts/signup/confirm/\S+", mail.outbox[-1].body).group(0)
    browser.driver.get(link)
    browser.wait_for("#entries", timeout=30)
    assert browser.path == "/portal/"
    assert "账号已确认" in browser.text()

    press(browser, f"a[href='/portal/{event.slug}/new/qc/']")
    browser.fill("#id_group_name", "精益求精QC小组")
    browser.fill("#id_title", "降低缸体加工不良率")
    Select(browser.find("#id_topic_type")).select_by_value("onsite")
    set_value(browser, "#id_activity_start", "2021-01-04")
    set_value(browser, "#id_activity_end", "2021-06-30")
    for field in ("group_intro", "topic_reason", "activity_summary", "main_results"):
        browser.fill(f"#id_{field}", "按PDCA循环开展活动，数据真实。")
    browser.fill("#id_contact_name", "张伟")
    browser.fill("#id_contact_phone", "0571-88886666")
    while len(browser.find_all("#members tbody tr")) < len(MEMBERS):
        press(browser, ".js-add-member")
    for index, (name, role) in enumerate(MEMBERS):
        browser.fill(f"#id_members-{index}-name", name)
        Select(browser.find(f"#id_members-{index}-role")).select_by_value(role)
    browser.screenshot("entry-form")
    press(browser, "button[name=action][value=save]")
    browser.wait_for("#upload-form", timeout=30)
    assert "草稿已保存" in browser.text()

    report = tmp_path / "成果报告.pdf"
    report.write_bytes(pdf_bytes())
    Select(browser.find("#upload-form select[name=kind]")).select_by_value("report")
    browser.find("#id_file").send_keys(str(report))
    before = browser.find("#attachments")
    press(browser, "#upload-form [type=submit]")
    browser.wait_gone(before, timeout=30)
    assert "成果报告.pdf" in browser.wait_for("#attachments", timeout=30).text

    press(browser, "#submit-entry")
    browser.wait_for(".status-submitted", timeout=30)
    assert "成果已提交，内容已锁定。" in browser.text()
    assert not browser.find_all("#upload-form")
    browser.screenshot("submitted")

    browser.open("/portal/")
    row = browser.wait_for("#entries tbody tr", timeout=30)
    assert "降低缸体加工不良率" in row.text and "已提交" in row.text
    entry = Submission.objects.get()
    assert (entry.code, entry.status, entry.members.count()) == ("QC-001", "submitted", 5)
    assert entry.attachments.get().original_name == "成果报告.pdf"
