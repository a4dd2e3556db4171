"""The whole event in one real-browser journey, with a screenshot of each step.

An organizer configures the event in the admin; two enterprises submit entries with files
through the portal; the organizer admits them and assigns venues; three judges score on
tablet-sized windows, one of them offline for a while; the chair locks the venue; the organizer
computes the results on the awards page and publishes them, an attendee objects through the
public form on a phone, the organizer answers and finalizes; certificates are rendered; an
attendee opens the event on a phone-sized window and verifies a certificate by its link.
Screenshots: test-artifacts/journey/.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from selenium import webdriver
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from judging.enums import CardStatus
from judging.models import (
    AwardRun,
    Certificate,
    LedgerEntry,
    Objection,
    Publication,
    Result,
    Scorecard,
    VenueAssignment,
    VenueStatus,
)
from judging.scoring.ledger import verify_ledger
from submissions.enums import Status
from submissions.models import Submission
from tests.admin_setup import organizer as make_organizer
from tests.browser.conftest import ARTIFACTS, CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS, WINDOW_SIZES
from tests.conftest import require_service
from tests.factories import (
    CategoryFactory,
    EventFactory,
    JudgeFactory,
    MembershipFactory,
    PanelSeatFactory,
    VenueFactory,
    problem_solving_sheet,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
SHOTS = ARTIFACTS / "journey"
CARDS = {
    "J01": {"B1": "13", "B2": "26", "B3": "17", "B4": "18", "B5": "4", "B6": "9"},
    "J02": {"B1": "12", "B2": "25", "B3": "16.5", "B4": "17", "B5": "4", "B6": "8"},
    "J03": {"B1": "11", "B2": "24", "B3": "16", "B4": "16", "B5": "4", "B6": "8"},
}


SECOND_ENTRY_B5 = "3"  # one point below the first entry on every card: no tie for the benchmark


def card_for(code: str, index: int) -> dict:
    return CARDS[code] if index == 0 else {**CARDS[code], "B5": SECOND_ENTRY_B5}


def is_gone(element) -> bool:
    """Whether element's page has been replaced.

    Chromium reports a node of a replaced page either as stale or, mid-navigation, as a node
    that "does not belong to the document"; both mean the page is gone.
    """
    try:
        element.is_enabled()
    except WebDriverException:
        return True
    return False


class Window:
    """One Chromium window of a person in the journey."""

    def __init__(self, base_url: str, size: str):
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
        width, height = WINDOW_SIZES[size]
        for flag in [*CHROMIUM_FLAGS, f"--window-size={width},{height}"]:
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_window_size(width, height)
        self.base = base_url

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)

    def find(self, css: str):
        return WebDriverWait(self.driver, 10).until(
            EC.presence_of_element_located((By.CSS_SELECTOR, css))
        )

    def type(self, css: str, value: str) -> None:
        field = self.find(css)
        field.clear()
        field.send_keys(value)

    def click(self, css: str) -> None:
        element = self.find(css)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        try:
            element.click()
        except ElementClickInterceptedException:  # under a sticky bar: click it as a script
            self.driver.execute_script("arguments[0].click()", element)

    def submit(self, css: str, timeout: float = 30) -> None:
        """Click a button that loads a new page, and wait until the old page is gone.

        Without the wait, a check of the next page's text may read the old page (a label on
        it can hold the same word) or hit its nodes mid-navigation, and a following open()
        could cancel the form's request before the server has handled it.
        """
        old_page = self.driver.find_element(By.TAG_NAME, "html")
        self.click(css)
        WebDriverWait(self.driver, timeout).until(lambda driver: is_gone(old_page))

    def wait_text(self, css: str, text: str, timeout: float = 15) -> None:
        # A page being replaced (a script's reload, a redirect) can make Chromium refuse to
        # read a node of the old document; that is a moment to wait through, not a failure.
        try:
            WebDriverWait(self.driver, timeout, ignored_exceptions=[WebDriverException]).until(
                EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text)
            )
        except TimeoutException:
            shown = [e.text for e in self.driver.find_elements(By.CSS_SELECTOR, css)]
            raise AssertionError(
                f"{text!r} not in {css} after {timeout} s at {self.driver.current_url}; "
                f"it shows {shown!r}"
            ) from None

    def body(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "body").text

    def sign_in(self, username: str, next_path: str) -> None:
        self.open(f"/accounts/login/?next={next_path}")
        self.type("input[name=username]", username)
        self.type("input[name=password]", PASSWORD)
        self.submit("form button[type=submit].w-100")
        WebDriverWait(self.driver, 10).until(lambda d: "/accounts/login/" not in d.current_url)

    def shot(self, step: int, label: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        target = SHOTS / f"{step:02d}-{label}.png"
        self.driver.save_screenshot(str(target))
        return target

    def close(self) -> None:
        self.driver.quit()


@pytest.fixture
def windows(live_server):
    require_service(
        "Chromium",
        Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(),
        "apt-get install chromium chromium-driver",
    )
    opened = []

    def open_window(size: str) -> Window:
        window = Window(live_server.url, size)
        opened.append(window)
        return window

    yield open_window
    for window in opened:
        window.close()


def pdf_file(tmp_path: Path, name: str) -> Path:
    from tests.submissions.conftest import pdf_bytes

    path = tmp_path / name
    path.write_bytes(pdf_bytes())
    return path


def build_event():
    """The event's skeleton as an organizer set it up: category, score sheet, venue, panel."""
    now = timezone.now()
    event = EventFactory(
        slug="cmqa-journey",
        name="机械工业第40次群众性质量管理成果交流活动",
        submission_opens=now - dt.timedelta(days=5),
        submission_closes=now + dt.timedelta(days=5),
    )
    category = CategoryFactory(
        event=event, min_members=1, max_members=15, quota_count=1, quota_percent=None
    )
    problem_solving_sheet(category)
    venue = VenueFactory(event=event, category=category, number=1, name="第1分会场")
    judges = []
    for index, code in enumerate(CARDS):
        judge = JudgeFactory(event=event, code=code, name=f"评委{code}")
        judge.user.username = f"judge-{code.lower()}"
        judge.user.save()
        PanelSeatFactory(judge=judge, venue=venue, role="chair" if index == 0 else "member")
        judges.append(judge)
    return event, category, venue, judges


def submit_entry(window: Window, event, username: str, group: str, title: str, report: Path):
    window.sign_in(username, "/portal/")
    window.open(f"/portal/{event.slug}/new/qc/")
    window.type("#id_group_name", group)
    window.type("#id_title", title)
    Select(window.find("#id_topic_type")).select_by_value("onsite")
    window.type("#id_group_intro", "小组成立于2018年，成员来自机加工车间")
    window.type("#id_topic_reason", "缸体加工不良率高于行业水平")
    window.type("#id_activity_summary", "按PDCA循环开展，找出主要原因并实施对策")
    window.type("#id_main_results", "不良率由3.2%降至1.1%")
    for field, value in (("#id_activity_start", "2021-01-04"), ("#id_activity_end", "2021-06-30")):
        window.driver.execute_script("arguments[0].value = arguments[1]", window.find(field), value)
    window.type("#id_contact_name", "张伟")
    window.type("#id_contact_phone", "0571-88886666")
    window.type("#id_members-0-name", "张伟")
    Select(window.find("#id_members-0-role")).select_by_value("leader")
    window.submit("button[name=action][value=save]")
    window.find("#upload-form")
    Select(window.find("#id_kind")).select_by_value("report")
    window.find("#id_file").send_keys(str(report))
    window.click("#upload-form button[type=submit]")
    window.wait_text("body", report.name)
    window.submit("#submit-entry")
    return Submission.objects.get(event=event, title=title)


def open_card(window: Window, venue, entry) -> None:
    window.open(f"/judge/venues/{venue.pk}/")
    row = window.find(f'[data-card-key$=":{entry.pk}"]')
    row.find_element(By.CSS_SELECTOR, "a.btn-primary, a.btn-warning").click()
    window.find("#scorecard")


def fill_and_submit(window: Window, points: dict) -> None:
    for code, value in points.items():
        window.type(f"#item-{code}", value)
    window.click("#submit-card")


def test_the_whole_event_from_configuration_to_a_verified_certificate(windows, tmp_path):
    event, category, venue, judges = build_event()
    organizer = make_organizer("organizer-journey")
    organizer.set_password(PASSWORD)
    organizer.save()
    event.staff.add(organizer)
    companies = [MembershipFactory(is_admin=True) for _ in range(2)]
    for membership in companies:
        membership.user.set_password(PASSWORD)
        membership.user.save()

    # 1. The organizer configures the event in the admin.
    desk = windows("desktop")
    desk.sign_in(organizer.username, "/admin/")
    desk.open(f"/admin/events/event/{event.pk}/change/")
    desk.type("#id_city", "杭州市")
    desk.shot(1, "admin-event")
    desk.submit("input[name=_save]")
    desk.find("#result_list")
    event.refresh_from_db()
    assert event.city == "杭州市"

    # 2. Two enterprises submit an entry each, with its report, through the portal.
    entries = []
    for index, membership in enumerate(companies):
        portal = windows("desktop")
        entry = submit_entry(
            portal,
            event,
            membership.user.username,
            group=f"精益{index + 1}号QC小组",
            title=f"降低缸体加工不良率（{index + 1}）",
            report=pdf_file(tmp_path, f"成果报告{index + 1}.pdf"),
        )
        portal.shot(2 + index, f"portal-submitted-{index + 1}")
        portal.wait_text("body", "已提交")
        portal.close()
        entry.refresh_from_db()
        assert (entry.status, entry.attachments.count()) == (Status.SUBMITTED, 1)
        entries.append(entry)

    # 3. The organizer admits both and assigns the venue (draws the running order).
    for entry in entries:
        desk.open(f"/orga/{event.slug}/entries/{entry.pk}/")
        desk.click(f"input[name=verdict][value={Status.ADMITTED}]")
        desk.submit("#review-form button[type=submit]")
        desk.wait_text("body", "参评")
    desk.shot(4, "review-admitted")
    assert set(Submission.objects.values_list("status", flat=True)) == {Status.ADMITTED}
    desk.open(f"/orga/{event.slug}/venues/")
    desk.submit(f"form[action='/orga/{event.slug}/venues/assign/'] button[type=submit]")
    desk.wait_text("body", "已分配")
    desk.shot(5, "venues-assigned")
    assert VenueAssignment.objects.filter(venue=venue).count() == 2

    # 4. Three judges score on tablets; the third loses the network while submitting one card.
    tablets = {}
    for judge in judges:
        tablet = windows("tablet")
        tablet.sign_in(judge.user.username, "/judge/")
        tablets[judge.code] = tablet
    for code in ("J01", "J02"):
        for index, entry in enumerate(entries):
            open_card(tablets[code], venue, entry)
            fill_and_submit(tablets[code], card_for(code, index))
            tablets[code].wait_text("#card-state", "已提交")
    tablets["J02"].shot(6, "tablet-submitted")
    offline = tablets["J03"]
    open_card(offline, venue, entries[0])
    fill_and_submit(offline, CARDS["J03"])
    offline.wait_text("#card-state", "已提交")
    open_card(offline, venue, entries[1])
    conditions = {"latency": 5, "download_throughput": 500_000, "upload_throughput": 500_000}
    offline.driver.set_network_conditions(offline=True, **conditions)
    fill_and_submit(offline, card_for("J03", 1))
    offline.wait_text("#card-state", "等待发送")
    offline.shot(7, "tablet-offline-pending")
    assert Scorecard.objects.filter(status=CardStatus.SUBMITTED).count() == 5
    offline.driver.delete_network_conditions()
    offline.driver.execute_script("window.dispatchEvent(new Event('online'))")
    offline.wait_text("#card-state", "已提交", timeout=30)  # the tablet retries every 4 s
    offline.shot(8, "tablet-back-online")
    assert Scorecard.objects.filter(status=CardStatus.SUBMITTED).count() == 6

    # 5. The chair checks the matrix and locks the venue.
    chair = tablets["J01"]
    chair.open(f"/judge/venues/{venue.pk}/chair/")
    chair.click("#lock-venue")
    chair.wait_text("#locked-notice", "已锁定")
    chair.shot(9, "chair-locked")
    assert VenueStatus.objects.get(venue=venue).is_locked
    assert verify_ledger(event).ok
    assert LedgerEntry.objects.filter(event=event).count() == 7  # six cards and the lock

    # 6. The organizer computes the results on the awards page and waits for the run to end.
    awards = f"/orga/{event.slug}/awards/"
    desk.open(awards)
    desk.submit(f"form[action='{awards}run/'] button[type=submit]")
    desk.find("#run-progress a.btn-outline-primary")  # shown once the run is done
    desk.wait_text("#run-progress .progress-bar", "100%")
    desk.shot(10, "awards-computed")
    run = AwardRun.objects.filter(event=event).latest("pk")
    assert run.status == "done"
    winner = Result.objects.get(run=run, decision="benchmark").submission
    assert winner.title == "降低缸体加工不良率（1）"
    # Three cards (87, 82.5, 79): the highest and the lowest are dropped, 82.5 remains.
    assert run.results.get(submission=winner).final_score == Decimal("82.50")

    # 7. The organizer publishes the results for the notice window.
    desk.type("#id_days", "5")
    desk.submit(f"form[action='{awards}publish/'] button[type=submit]")
    desk.wait_text("#publication", "公示期")
    desk.shot(11, "awards-published")
    publication = Publication.objects.get(event=event)
    assert (publication.run_id, publication.finalized_at) == (run.pk, None)

    # 8. An enterprise user files an objection by name through the form on a phone; the
    # form asks them to sign in first (objections are signed, 实名).
    phone = windows("phone")
    results = f"/e/{event.slug}/results/"
    phone.open(results)
    phone.click(f"a[href='{results}objection/']")
    WebDriverWait(phone.driver, 10).until(lambda d: "/accounts/login/" in d.current_url)
    phone.sign_in(companies[1].user.username, f"{results}objection/")
    phone.type("#id_code", winner.code)
    phone.type("#id_name", "李四")
    assert phone.find("#id_unit").get_attribute("value") == companies[1].enterprise.name
    phone.type("#id_contact", "13800000000")
    phone.type("#id_grounds", "成果数据存疑")
    phone.shot(12, "phone-objection")
    phone.submit("form[enctype='multipart/form-data'] button[type=submit]")
    phone.wait_text("body", "异议已提交")
    objection = Objection.objects.get(event=event)
    assert (objection.submission, objection.status) == (winner, "open")
    assert objection.filed_by == companies[1].user

    # 9. The organizer answers it on the awards page.
    desk.open(awards)
    desk.click(f"a[href='{awards}objections/{objection.pk}/']")
    Select(desk.find("#id_status")).select_by_value("dismissed")
    desk.type("#id_answer", "经复核，数据有原始记录支撑，维持结果。")
    desk.submit("form[method=post] button[type=submit].btn-primary")
    desk.wait_text("body", "处理意见已记录")
    desk.shot(13, "objection-answered")
    objection.refresh_from_db()
    assert (objection.status, objection.answered_by) == ("dismissed", organizer)

    # 10. The notice window ends and the organizer finalizes. Time cannot pass in a test, so
    # the window (its start with it) is moved into the past in the database; finalizing
    # itself goes through the page.
    now = timezone.now()
    Publication.objects.filter(event=event).update(
        notice_starts=now - dt.timedelta(days=5), notice_ends=now - dt.timedelta(minutes=1)
    )
    desk.open(awards)
    desk.submit(f"form[action='{awards}finalize/'] button[type=submit]")
    desk.wait_text("#publication", "已定稿")
    desk.shot(14, "awards-finalized")
    publication.refresh_from_db()
    assert publication.finalized_by == organizer and publication.finalized_at

    # 11. The organizer renders the certificates.
    desk.open(f"/orga/{event.slug}/documents/")
    desk.submit(f"form[action='/orga/{event.slug}/documents/certificates/render/'] button")
    desk.wait_text("body", "证书")
    desk.shot(15, "certificates-rendered")
    certificates = list(Certificate.objects.filter(event=event, submission=winner))
    assert certificates and all(c.file for c in certificates)

    # 12. The attendee opens the results on a phone and verifies a certificate by its link.
    phone.open(f"/e/{event.slug}/")
    phone.wait_text("body", event.name[:6])
    phone.shot(16, "phone-event")
    phone.open(results)
    phone.wait_text("body", "已定稿")
    phone.wait_text("body", winner.title)
    phone.shot(17, "phone-results")
    assert winner.enterprise.name in phone.body()
    phone.open(f"/verify/{certificates[0].verify_code}/")
    phone.wait_text("body", winner.enterprise.name)
    phone.shot(18, "phone-verified")
    assert certificates[0].number in phone.body()
