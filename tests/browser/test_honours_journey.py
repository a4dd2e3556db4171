"""Honours in one real-browser journey: a contest created from the organizer pages, a person
nominated in the portal, the dossier scored in the written review, the honour list published,
and the person's certificate verified through its QR code.

The organizer of the exchange event creates the 优秀个人 contest announced at it (its notice,
submission window and category; the page gives the category its written-review panel); an
expert of that panel is added with an account of the event's own. An enterprise nominates its
quality manager with a summary and an evidence file; the organizer admits the nomination,
places it in the written review and assigns its reader; the expert scores the dossier at a
desk and, as the panel's chair, locks it; the organizer computes and publishes, the public
honour list names the person, and the certificate's QR code, read from the rendered PDF, opens
the verification page naming the person and the organization. Screenshots:
test-artifacts/honours/.
"""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from events.enums import CategoryKind
from events.models import Event
from judging.enums import CardStatus, SeatRole
from judging.models import (
    AwardRun,
    Certificate,
    ReviewAssignment,
    Scorecard,
    VenueAssignment,
    VenueStatus,
)
from judging.scoring.judges import add_judge
from judging.scoring.ledger import verify_ledger
from submissions.enums import Status
from submissions.models import Submission
from tests.admin_setup import organizer as make_organizer
from tests.browser.test_whole_event import PASSWORD, Window, pdf_file
from tests.conftest import require_service
from tests.factories import EventFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "honours"
SLUG = "cmqa-honours-2022"
NOMINEE = "林晓燕"


@pytest.fixture
def windows(live_server):
    from tests.browser.conftest import CHROMEDRIVER, CHROMIUM

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


def shot(window: Window, step: int, label: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.driver.save_screenshot(str(SHOTS / f"{step:02d}-{label}.png"))


def set_value(window: Window, css: str, value: str) -> None:
    """Fill a date or datetime-local input as a person's picker would."""
    window.driver.execute_script("arguments[0].value = arguments[1]", window.find(css), value)


def qr_links(pdf: Path) -> list[str]:
    """The links the PDF's QR codes hold, read from its pages as a phone's camera would."""
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", str(pdf), str(pdf.with_suffix(""))], check=True
    )
    pages = sorted(str(page) for page in pdf.parent.glob(f"{pdf.stem}*.png"))
    found = subprocess.run(["zbarimg", "--quiet", "--raw", *pages], capture_output=True, text=True)
    return found.stdout.split()


def test_a_person_nominated_reviewed_in_writing_published_and_verified(
    windows, live_server, settings, tmp_path
):
    require_service(
        "zbarimg and pdftoppm",
        bool(shutil.which("zbarimg") and shutil.which("pdftoppm")),
        "apt-get install zbar-tools poppler-utils",
    )
    settings.QCX_SITE_URL = live_server.url  # the certificates print this site's address
    today = timezone.localdate()
    announcer = EventFactory(
        slug="cmqa-40-journey",
        name="机械工业第40次群众性质量管理成果交流活动",
        start_date=today - dt.timedelta(days=1),
        end_date=today,
    )
    organizer = make_organizer("organizer-honours")
    organizer.set_password(PASSWORD)
    organizer.save()
    announcer.staff.add(organizer)
    company = MembershipFactory(
        is_admin=True, enterprise__name="徐州重型机械有限公司", user__username="xcmg"
    )
    company.user.set_password(PASSWORD)
    company.user.save()

    # 1. The organizer creates the contest announced at the exchange event.
    desk = windows("desktop")
    desk.sign_in(organizer.username, f"/orga/{announcer.slug}/setup/contest/")
    desk.type("#id_name", "机械工业群众性质量管理活动优秀个人评选")
    desk.type("#id_short_name", "优秀个人评选")
    desk.type("#id_slug", SLUG)
    set_value(desk, "#id_start_date", (today + dt.timedelta(days=40)).isoformat())
    set_value(desk, "#id_end_date", (today + dt.timedelta(days=41)).isoformat())
    opens = timezone.localtime() - dt.timedelta(days=1)
    closes = timezone.localtime() + dt.timedelta(days=20)
    set_value(desk, "#id_submission_opens", opens.strftime("%Y-%m-%dT%H:%M"))
    set_value(desk, "#id_submission_closes", closes.strftime("%Y-%m-%dT%H:%M"))
    desk.type("#id_notice", "各推荐单位：现开展群众性质量管理活动优秀个人评选，请于截止日前推荐。")
    for kind in CategoryKind.nominations():
        box = desk.find(f"#id_{kind}-include")
        if box.is_selected() != (kind == CategoryKind.INDIVIDUAL):
            desk.click(f"#id_{kind}-include")
    desk.type("#id_person-readers_per_nomination", "1")
    desk.type("#id_person-quota_count", "1")
    shot(desk, 1, "new-contest")
    desk.submit("#contest-button")
    desk.wait_text("body", "优秀个人评选")
    contest = Event.objects.get(slug=SLUG)
    category = contest.categories.get()
    venue = contest.venues.get()
    assert (contest.announced_at, category.kind, venue.is_written) == (announcer, "person", True)
    assert (category.readers_per_nomination, category.min_valid_cards) == (1, 1)

    # The expert of the written review, with the account the event creates for them.
    expert = add_judge(
        event=contest,
        venue=venue,
        role=SeatRole.CHAIR,
        code="S01",
        name="周明",
        affiliation_name="中国机械工业质量管理协会",
    )
    expert.user.set_password(PASSWORD)
    expert.user.save()

    # 2. The public event page shows the notice; the exchange event's page links the contest.
    desk.open(f"/e/{SLUG}/")
    desk.wait_text("body", "请于截止日前推荐")
    desk.open(f"/e/{announcer.slug}/")
    desk.wait_text("body", "优秀个人评选")

    # 3. The enterprise nominates its quality manager, uploads the evidence and submits.
    portal = windows("desktop")
    portal.sign_in("xcmg", "/portal/")
    portal.click(f"a[href='/portal/{SLUG}/nominate/person/']")
    assert portal.find("#id_organization").get_attribute("value") == "徐州重型机械有限公司"
    portal.type("#id_nominee_name", NOMINEE)
    Select(portal.find("#id_nominee_gender")).select_by_index(2)
    portal.type("#id_nominee_position", "质量管理部部长")
    portal.type("#id_nominee_years", "23")
    portal.type("#id_achievements", "推进QC小组活动二十年，指导成果获全国优秀QC小组12项。")
    portal.type("#id_contact_name", "王磊")
    portal.type("#id_contact_phone", "0516-87888888")
    shot(portal, 2, "nomination-form")
    portal.submit("#nomination-form button[name=action][value=save]")
    portal.find("#upload-form")
    evidence = pdf_file(tmp_path, "事迹证明.pdf")
    Select(portal.find("#id_kind")).select_by_value("evidence")
    portal.find("#id_file").send_keys(str(evidence))
    portal.click("#upload-form button[type=submit]")
    portal.wait_text("body", evidence.name)
    portal.submit("#submit-entry")
    portal.wait_text("body", "已提交")
    shot(portal, 3, "nomination-submitted")
    nomination = Submission.objects.get(event=contest, nominee_name=NOMINEE)
    assert (nomination.status, nomination.enterprise.name) == (
        Status.SUBMITTED,
        company.enterprise.name,
    )
    assert nomination.attachments.get().kind == "evidence"

    # 4. The organizer admits it, places it in the written review and assigns its reader.
    desk.open(f"/orga/{SLUG}/entries/{nomination.pk}/")
    desk.wait_text("body", NOMINEE)
    desk.click(f"input[name=verdict][value={Status.ADMITTED}]")
    desk.submit("#review-form button[type=submit]")
    desk.wait_text("body", "参评")
    desk.open(f"/orga/{SLUG}/venues/")
    desk.submit(f"form[action='/orga/{SLUG}/venues/assign/'] button[type=submit]")
    desk.wait_text("body", "已分配")
    desk.submit(f"form[action='/orga/{SLUG}/venues/{venue.number}/reviewers/'] button[type=submit]")
    desk.wait_text("body", "S01")
    shot(desk, 4, "reviewers-assigned")
    assert VenueAssignment.objects.get(submission=nomination).venue == venue
    assert list(ReviewAssignment.objects.values_list("judge__code", "submission")) == [
        ("S01", nomination.pk)
    ]

    # 5. The expert reads the dossier at a desk, scores it, and locks the panel as its chair.
    reader = windows("desktop")
    reader.sign_in(expert.user.username, "/judge/")
    reader.open(f"/judge/venues/{venue.pk}/")
    row = reader.find(f'[data-card-key$=":{nomination.pk}"]')
    assert NOMINEE in row.text
    row.find_element(By.CSS_SELECTOR, "a.btn-primary").click()
    reader.find("#scorecard")
    reader.wait_text("body", "推进QC小组活动二十年")
    total = Decimal(0)
    for field in reader.driver.find_elements(By.CSS_SELECTOR, "input.js-points"):
        points = (Decimal(field.get_attribute("data-max")) * Decimal("0.9")).quantize(Decimal("1"))
        field.clear()
        field.send_keys(str(points))
        total += points
    shot(reader, 5, "dossier-scored")
    reader.click("#submit-card")
    reader.wait_text("#card-state", "已提交")
    card = Scorecard.objects.get(judge=expert, submission=nomination)
    assert (card.status, card.total, card.sheet.phase) == (CardStatus.SUBMITTED, total, "documents")
    reader.open(f"/judge/venues/{venue.pk}/chair/")
    reader.click("#lock-venue")
    reader.wait_text("#locked-notice", "已锁定")
    assert VenueStatus.objects.get(venue=venue).lock_override_reason == ""
    assert verify_ledger(contest).ok

    # 6. The organizer computes and publishes; the public honour list names the person.
    awards = f"/orga/{SLUG}/awards/"
    desk.open(awards)
    desk.submit(f"form[action='{awards}run/'] button[type=submit]")
    desk.wait_text("#run-progress .progress-bar", "100%")
    run = AwardRun.objects.filter(event=contest).latest("pk")
    result = run.results.get()
    assert (result.submission_id, result.decision, result.final_score) == (
        nomination.pk,
        "benchmark",
        total,
    )
    desk.type("#id_days", "5")
    desk.submit(f"form[action='{awards}publish/'] button[type=submit]")
    desk.wait_text("#publication", "公示期")
    public = windows("phone")
    public.open(f"/e/{SLUG}/honours/person/")
    public.wait_text("body", NOMINEE)
    assert company.enterprise.name in public.body()
    shot(public, 6, "honour-list")

    # 7. The organizer renders the certificates; the QR code on the person's certificate
    # opens the verification page naming the person and the organization.
    documents = f"/orga/{SLUG}/documents/"
    desk.open(documents)
    desk.submit(f"form[action='{documents}certificates/render/'] button")
    desk.wait_text(".job-progress", "100%", timeout=120)
    certificate = Certificate.objects.get(event=contest)
    assert certificate.submission_id == nomination.pk and certificate.file
    pdf = tmp_path / "certificate.pdf"
    with certificate.file.open("rb") as stored:
        pdf.write_bytes(stored.read())
    links = qr_links(pdf)
    assert links == [f"{live_server.url}/verify/{certificate.verify_code}/"]
    public.driver.get(links[0])
    public.wait_text("body", NOMINEE)
    assert company.enterprise.name in public.body()
    assert certificate.number in public.body()
    shot(public, 7, "certificate-verified")
