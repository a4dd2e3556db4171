"""A whole second event in one real-browser journey: next year's event from last year's.

`clone_event cmqa-40 cmqa-41` starts the new event from the demo event's configuration; then,
every step through the pages a person uses: its organizer imports the judges from an Excel
workbook and opens the submission window in the admin; two enterprises submit an entry each
through the portal; the organizer admits them, assigns the venue and prints the login cards;
the judge signs in on a tablet by the card's one-time link, scores both entries and, as the
venue's chair, locks it; the organizer computes and publishes the results and renders the
certificates. Screenshots: test-artifacts/second-event/.
"""

import datetime as dt
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from events.models import Event
from judging.demo import build as demo
from judging.demo import catalogue
from judging.enums import CardStatus, JobKind, JobStatus
from judging.models import (
    AwardRun,
    Certificate,
    Judge,
    Publication,
    RenderJob,
    Scorecard,
    VenueAssignment,
    VenueStatus,
)
from judging.scoring.ledger import verify_ledger
from submissions.enums import Status
from submissions.models import Submission
from tests.admin_setup import organizer as make_organizer
from tests.browser.conftest import CHROMEDRIVER, CHROMIUM
from tests.browser.test_whole_event import PASSWORD, Window, pdf_file
from tests.conftest import require_service
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "second-event"
NEW = "cmqa-41"
# On a card: the judge's code, then the one-time link printed under the QR code.
CARD_LINK = re.compile(r"评委编号(J\d+).*?(https?://[^/]+/judge/signin/[A-Za-z0-9_-]+/)")
# Each judge's points as a share of every item's maximum, for the first and second entry:
# the first entry is ahead on every card, so the ranking does not hang on a tie.
SHARES = {"J01": ("0.9", "0.8"), "J02": ("0.85", "0.75"), "J03": ("0.8", "0.7")}


@pytest.fixture
def windows(request, live_server):
    """Open Chromium windows of a given size on the live server; a failure leaves a screenshot
    of every window still open."""
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
    report = getattr(request.node, "report_call", None)
    for number, window in enumerate(opened):
        if report is not None and report.failed:
            try:
                shot(window, 99, f"failure-{number}")
            except Exception:  # noqa: BLE001 - a window the journey closed has nothing to show
                pass
        window.close()


def shot(window: Window, step: int, label: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = SHOTS / f"{step:02d}-{label}.png"
    window.driver.save_screenshot(str(target))
    return target


def build_last_year(organizer) -> Event:
    """The demo event cmqa-40 as seed_demo configures it (categories with award rules, score
    sheets, the plenary programme), with its first venue only and without its 548 entries and
    judges: the part clone_event copies, and one venue, so that one chair can close judging."""
    result = demo.DemoResult(event=None)
    event = Event.objects.create(
        **catalogue.EVENT,
        submission_opens=demo._aware(catalogue.SUBMISSION_WINDOW[0]),
        submission_closes=demo._aware(catalogue.SUBMISSION_WINDOW[1]),
    )
    result.event = event
    categories = demo._categories(event, result)
    demo._score_sheets(event, categories, result)
    demo._programme(event, result)
    first = {number: prefix for number, prefix in catalogue.VENUE_CATEGORIES.items() if number == 1}
    original = catalogue.VENUE_CATEGORIES
    catalogue.VENUE_CATEGORIES = first
    try:
        demo._venues(event, categories, result)
    finally:
        catalogue.VENUE_CATEGORIES = original
    event.staff.add(organizer)
    return event


def judges_workbook(path: Path) -> Path:
    """The organizer's judges list: a panel of three at venue 1 and a reserve without a seat."""
    book = Workbook()
    sheet = book.active
    sheet.title = "judges"
    sheet.append(
        ["评委编号", "姓名", "工作单位", "所属集团", "省份", "分会场", "角色", "手机", "电子邮箱"]
    )
    sheet.append(
        ["J01", "王建国", "中国质量协会", "", "北京", 1, "组长", "13900000001", "wang@example.cn"]
    )
    sheet.append(["J02", "刘芳", "浙江大学", "", "浙江", 1, "评委", "", ""])
    sheet.append(["J03", "赵磊", "上海交通大学", "", "上海", "1", "member", "", ""])
    sheet.append(["J04", "孙丽", "江苏省质量协会", "", "江苏", None, "评委", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def submit_entry(window: Window, event: Event, username: str, index: int, report: Path):
    """An enterprise's user submits a QC entry with three members and its report."""
    window.sign_in(username, "/portal/")
    window.click(f"a[href='/portal/{event.slug}/new/qc/']")
    title = f"提高齿轮箱装配一次合格率（{index}）"
    window.type("#id_group_name", f"传动{index}号QC小组")
    window.type("#id_title", title)
    Select(window.find("#id_topic_type")).select_by_value("onsite")
    window.type("#id_group_intro", "小组成立于2019年，成员来自装配车间")
    window.type("#id_topic_reason", "装配一次合格率低于公司目标")
    window.type("#id_activity_summary", "按PDCA循环开展，确认主要原因并实施对策")
    window.type("#id_main_results", "一次合格率由92%提高到98.5%")
    for field, value in (("#id_activity_start", "2022-01-04"), ("#id_activity_end", "2022-07-29")):
        window.driver.execute_script("arguments[0].value = arguments[1]", window.find(field), value)
    window.type("#id_contact_name", "陈静")
    window.type("#id_contact_phone", "0571-88886666")
    for number, (name, role) in enumerate(
        (("陈静", "leader"), ("周强", "member"), ("吴敏", "member"))
    ):
        window.type(f"#id_members-{number}-name", name)
        Select(window.find(f"#id_members-{number}-role")).select_by_value(role)
    window.submit("button[name=action][value=save]")
    window.find("#upload-form")
    Select(window.find("#id_kind")).select_by_value("report")
    window.find("#id_file").send_keys(str(report))
    window.click("#upload-form button[type=submit]")
    window.wait_text("body", report.name)
    window.submit("#submit-entry")
    window.wait_text("body", "已提交")
    return Submission.objects.get(event=event, title=title)


def download_login_cards(window: Window, folder: Path) -> Path:
    """Press 打印评委登录卡 on the judges page and return the PDF the browser saved."""
    folder.mkdir(parents=True, exist_ok=True)
    window.driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)}
    )
    window.click("form[action$='/judges/login-cards.pdf'] button[type=submit]")
    WebDriverWait(window.driver, 60).until(
        lambda driver: [p for p in folder.glob("*.pdf") if p.stat().st_size > 0]
    )
    return next(folder.glob("*.pdf"))


def signin_links(pdf: Path) -> dict[str, str]:
    """Each judge's one-time link as printed on the login card (a long link wraps there)."""
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    return dict(CARD_LINK.findall(re.sub(r"\s+", "", text)))


def scanned_links(pdf: Path) -> set[str] | None:
    """The links the cards' QR codes hold, read as a tablet's camera would (None without zbar)."""
    if not shutil.which("zbarimg") or not shutil.which("pdftoppm"):
        return None
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(pdf), str(pdf.with_suffix(""))], check=True
    )
    pages = sorted(str(page) for page in pdf.parent.glob(f"{pdf.stem}*.png"))
    found = subprocess.run(["zbarimg", "--quiet", "--raw", *pages], capture_output=True, text=True)
    return set(found.stdout.split())


def score_entry(tablet: Window, venue, entry, share: str) -> Decimal:
    """Open the entry's card from the venue's list, give every item share of its points."""
    tablet.open(f"/judge/venues/{venue.pk}/")
    row = tablet.find(f'[data-card-key$=":{entry.pk}"]')
    row.find_element(By.CSS_SELECTOR, "a.btn-primary, a.btn-warning").click()
    tablet.find("#scorecard")
    total = Decimal(0)
    for field in tablet.driver.find_elements(By.CSS_SELECTOR, "input.js-points"):
        points = (Decimal(field.get_attribute("data-max")) * Decimal(share)).quantize(Decimal("1"))
        field.clear()
        field.send_keys(str(points))
        total += points
    tablet.click("#submit-card")
    tablet.wait_text("#card-state", "已提交")
    return total


def test_a_second_event_from_last_years_configuration_to_certificates(windows, tmp_path):
    organizer = make_organizer("organizer-41")
    organizer.set_password(PASSWORD)
    organizer.save()
    build_last_year(organizer)
    companies = [MembershipFactory(is_admin=True) for _ in range(2)]
    for membership in companies:
        membership.user.set_password(PASSWORD)
        membership.user.save()

    # 1. Next year's event from this year's configuration, dated a month from now.
    start = timezone.localdate() + dt.timedelta(days=30)
    call_command("clone_event", "cmqa-40", NEW, "--start", start.isoformat(), stdout=io.StringIO())
    event = Event.objects.get(slug=NEW)
    assert event.name == "机械工业第41次群众性质量管理成果、质量品牌故事交流活动"
    assert event.short_name == "第41次群众性质量管理成果交流活动"  # the pages' headings
    assert (event.categories.count(), event.venues.count(), event.judges.count()) == (3, 1, 0)
    venue = event.venues.get()
    assert venue.day == start + dt.timedelta(days=1)

    # 2. Its organizer signs in and reads the checklist of the new event.
    desk = windows("desktop")
    desk.sign_in(organizer.username, f"/orga/{NEW}/setup/")
    desk.find("#checklist")
    desk.wait_text("[data-check='judges']", "尚未添加评委")
    shot(desk, 1, "setup-checklist")

    # 3. The organizer imports the judges from a workbook on the upload page.
    desk.open(f"/orga/{NEW}/")
    desk.click(f"a[href='/orga/{NEW}/judges/']")
    desk.click(f"a[href='/orga/{NEW}/judges/import/']")
    desk.find("#id_file").send_keys(str(judges_workbook(tmp_path / "评委名单.xlsx")))
    desk.submit("form[enctype='multipart/form-data'] button[type=submit]")
    desk.wait_text("body", "已导入评委：新增 4 位")
    desk.wait_text("#card-summary", "J04 孙丽（未安排分会场席位）")
    desk.wait_text("#card-summary", "登录卡将为 3 位")
    shot(desk, 2, "judges-imported")
    panel = {judge.code: judge for judge in Judge.objects.filter(event=event, seats__venue=venue)}
    assert sorted(panel) == ["J01", "J02", "J03"]
    assert all(judge.user and not judge.user.is_staff for judge in panel.values())
    assert panel["J01"].seats.get().role == "chair"

    # 4. The submission window (last year's dates moved on, so already past) opens in the admin.
    desk.open(f"/orga/{NEW}/setup/")
    desk.submit(f"a[href='/admin/events/event/{event.pk}/change/']")
    today = timezone.localdate()
    for field, day in (("opens", today - dt.timedelta(days=1)), ("closes", start)):
        desk.type(f"#id_submission_{field}_0", day.isoformat())
        desk.type(f"#id_submission_{field}_1", "09:00:00" if field == "opens" else "17:00:00")
    shot(desk, 3, "admin-submission-window")
    desk.submit("input[name=_save]")
    desk.find("#result_list")
    event.refresh_from_db()
    assert event.submission_opens < timezone.now() < event.submission_closes
    desk.open(f"/orga/{NEW}/setup/")
    for check in ("window", "chairs"):  # opened in the admin; a chair came with the import
        assert desk.find(f"[data-check='{check}']").get_attribute("data-ok") == "1"

    # 5. Two enterprises submit an entry each through the portal.
    entries = []
    for index, membership in enumerate(companies, start=1):
        portal = windows("desktop")
        report = pdf_file(tmp_path, f"成果报告{index}.pdf")
        entries.append(submit_entry(portal, event, membership.user.username, index, report))
        shot(portal, 3 + index, f"portal-submitted-{index}")
        portal.close()
    assert [(e.status, e.attachments.count()) for e in entries] == [(Status.SUBMITTED, 1)] * 2

    # 6. The organizer admits both on the formal review page and assigns the venue.
    for entry in entries:
        desk.open(f"/orga/{NEW}/entries/{entry.pk}/")
        desk.click(f"input[name=verdict][value={Status.ADMITTED}]")
        desk.submit("#review-form button[type=submit]")
        desk.wait_text("body", "参评")
    shot(desk, 6, "review-admitted")
    assert set(event.submissions.values_list("status", flat=True)) == {Status.ADMITTED}
    desk.open(f"/orga/{NEW}/venues/")
    desk.submit(f"form[action='/orga/{NEW}/venues/assign/'] button[type=submit]")
    desk.wait_text("body", "已分配")
    shot(desk, 7, "venues-assigned")
    assert VenueAssignment.objects.filter(venue=venue).count() == 2

    # 7. The organizer prints the login cards; each judge signs in on a tablet by its link.
    desk.open(f"/orga/{NEW}/judges/")
    cards = download_login_cards(desk, tmp_path / "downloads")
    links = signin_links(cards)
    assert sorted(links) == ["J01", "J02", "J03"]
    scanned = scanned_links(cards)
    assert scanned is None or scanned == set(links.values())
    tablets = {}
    for code, link in links.items():
        assert link.startswith(f"{desk.base}/judge/signin/")
        tablet = tablets[code] = windows("tablet")
        tablet.driver.get(link)  # as the card's QR code opens it
        tablet.wait_text("h1", "评委登录")
        if code == "J01":
            shot(tablet, 8, "tablet-signin-link")
        tablet.submit("form[method=post] button.btn-lg[type=submit]")
        WebDriverWait(tablet.driver, 10).until(lambda d: "/judge/signin/" not in d.current_url)
        tablet.wait_text("body", panel[code].name)
    shot(tablets["J01"], 9, "tablet-signed-in")
    assert all(
        j.signin_token_used_at
        for j in Judge.objects.filter(pk__in=[judge.pk for judge in panel.values()])
    )

    # 8. The judges score both entries; the chair locks the venue.
    for code, tablet in tablets.items():
        totals = [
            score_entry(tablet, venue, entry, share)
            for entry, share in zip(entries, SHARES[code], strict=True)
        ]
        cards = Scorecard.objects.filter(judge=panel[code], status=CardStatus.SUBMITTED)
        assert [card.total for card in cards.order_by("submission")] == totals
    shot(tablets["J03"], 10, "tablet-scored")
    chair = tablets["J01"]
    chair.open(f"/judge/venues/{venue.pk}/chair/")
    chair.click("#lock-venue")
    chair.wait_text("#locked-notice", "已锁定")
    shot(chair, 11, "chair-locked")
    assert VenueStatus.objects.get(venue=venue).is_locked
    assert verify_ledger(event).ok

    # 9. The organizer computes the results and publishes them.
    awards = f"/orga/{NEW}/awards/"
    desk.open(awards)
    desk.wait_text("h1", event.short_name)
    desk.submit(f"form[action='{awards}run/'] button[type=submit]")
    desk.find("#run-progress a.btn-outline-primary")  # shown once the run is done
    desk.wait_text("#run-progress .progress-bar", "100%")
    shot(desk, 12, "awards-computed")
    run = AwardRun.objects.filter(event=event).latest("pk")
    assert run.status == "done"
    ranked = list(run.results.order_by("-final_score"))
    assert [result.submission_id for result in ranked] == [entry.pk for entry in entries]
    assert {result.decision for result in ranked} == {"benchmark"}  # 155 places for two
    desk.type("#id_days", "5")
    desk.submit(f"form[action='{awards}publish/'] button[type=submit]")
    desk.wait_text("#publication", "公示期")
    shot(desk, 13, "awards-published")
    assert Publication.objects.get(event=event).run_id == run.pk
    desk.open(f"/e/{NEW}/results/")
    desk.wait_text("body", entries[0].title)
    shot(desk, 14, "public-results")

    # 10. The organizer renders the certificates; the job reports what it did.
    documents = f"/orga/{NEW}/documents/"
    desk.open(documents)
    desk.submit(f"form[action='{documents}certificates/render/'] button")
    desk.wait_text(".job-progress", "100%", timeout=120)
    shot(desk, 15, "certificates-rendered")
    job = RenderJob.objects.filter(event=event, kind=JobKind.CERTIFICATES).latest("pk")
    certificates = list(Certificate.objects.filter(event=event))
    assert job.status == JobStatus.DONE and certificates
    assert job.done == job.total == len(certificates)
    assert all(certificate.file for certificate in certificates)
    assert {c.submission_id for c in certificates} <= {e.pk for e in entries}
    desk.wait_text(".job-progress", f"{job.done}/{job.total}")
    numbers = sorted(c.number for c in certificates)  # groups QC-0001…, members QCM-0001…
    assert numbers[0] == f"CMQA-{start.year}-QC-0001" and numbers[-1].startswith(
        f"CMQA-{start.year}-QCM-"
    )
    assert not Submission.objects.filter(event__slug="cmqa-40").exists()  # last year untouched
