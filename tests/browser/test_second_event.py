"""A whole second event in one real-browser journey: next year's event from last year's.

`clone_event cmqa-40 cmqa-41`, then, as its organizer: judges, the submission window in the
admin, two entries through the portal, admission, venues, a judge signed in on a tablet by
the one-time link of the printed login card, scores, the lock, the award run, publication
and certificates. Screenshots: test-artifacts/second-event/.
"""

import datetime as dt
import re
import subprocess
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from events.models import Event
from judging.enums import CardStatus
from judging.models import (
    AwardRun,
    Certificate,
    Judge,
    PanelSeat,
    Publication,
    Scorecard,
    VenueAssignment,
    VenueStatus,
)
from submissions.enums import Status
from submissions.models import Submission
from tests.admin_setup import organizer as make_organizer
from tests.browser import test_whole_event as journey
from tests.browser.test_whole_event import (
    CARDS,
    PASSWORD,
    card_for,
    fill_and_submit,
    open_card,
    pdf_file,
    submit_entry,
    windows,  # noqa: F401 - the fixture
)
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


def last_year() -> Event:
    """cmqa-40 as it stood after its own event: configuration, judges, an entry."""
    event = EventFactory(
        slug="cmqa-40",
        number=40,
        name="机械工业第40次群众性质量管理成果交流活动",
        start_date=dt.date(2021, 9, 23),
        end_date=dt.date(2021, 9, 25),
    )
    category = CategoryFactory(
        event=event, min_members=1, max_members=15, quota_count=1, quota_percent=None
    )
    problem_solving_sheet(category)
    venue = VenueFactory(event=event, category=category, number=1, name="第1分会场", room="西湖厅")
    PanelSeatFactory(judge=JudgeFactory(event=event, code="J01"), venue=venue, role="chair")
    return event


def add_judges_directly(event: Event) -> list[Judge]:
    """Judges with seats and accounts of the event's own.

    TO BE REPLACED by the judges' import page (import_judges) once it is merged: the organizer
    uploads the `judges` sheet there. Until then the judges are created here directly.
    """
    venue = event.venues.get(number=1)
    judges = []
    for index, code in enumerate(CARDS):
        user = get_user_model().objects.create_user(
            username=f"{event.slug}-{code.lower()}", password=PASSWORD
        )
        judge = Judge.objects.create(event=event, code=code, name=f"评委{code}", user=user)
        PanelSeat.objects.create(judge=judge, venue=venue, role="chair" if index == 0 else "member")
        judges.append(judge)
    return judges


def login_card_links(organizer, slug: str, tmp_path) -> list[str]:
    """Print the login cards as the control room's button does and read their QR codes."""
    client = Client()
    client.force_login(organizer)
    response = client.post(f"/orga/{slug}/judges/login-cards.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "card")], check=True)
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", *map(str, sorted(tmp_path.glob("card*.png")))],
        capture_output=True,
        text=True,
    ).stdout
    return re.findall(r"https?://\S+/judge/signin/\S+/", found)


def test_a_second_event_from_last_years(windows, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(journey, "SHOTS", journey.ARTIFACTS / "second-event")
    last_year()
    organizer = make_organizer("organizer-41")
    organizer.set_password(PASSWORD)
    organizer.save()
    Event.objects.get(slug="cmqa-40").staff.add(organizer)

    # 1. Next year's event from last year's configuration.
    start = timezone.localdate() + dt.timedelta(days=30)
    call_command("clone_event", "cmqa-40", "cmqa-41", "--start", start.isoformat())
    event = Event.objects.get(slug="cmqa-41")
    assert (event.judges.count(), event.submissions.count()) == (0, 0)
    venue = event.venues.get(number=1)

    # 2. Judges (see add_judges_directly: to be replaced by the import page).
    judges = add_judges_directly(event)

    desk = windows("desktop")
    desk.sign_in(organizer.username, f"/orga/{event.slug}/setup/")
    desk.find("#checklist")
    desk.shot(1, "setup-checklist")
    assert "尚未设置申报开始和截止时间" in desk.body()

    # 3. The organizer opens the submission window in the admin.
    now = timezone.localtime()
    desk.open(f"/admin/events/event/{event.pk}/change/")
    for field, value in (
        ("#id_submission_opens_0", (now - dt.timedelta(days=1)).strftime("%Y-%m-%d")),
        ("#id_submission_opens_1", "08:00:00"),
        ("#id_submission_closes_0", (now + dt.timedelta(days=10)).strftime("%Y-%m-%d")),
        ("#id_submission_closes_1", "18:00:00"),
    ):
        desk.type(field, value)
    desk.submit("input[name=_save]")
    desk.find("#result_list")
    event.refresh_from_db()
    assert event.submission_opens < timezone.now() < event.submission_closes
    desk.open(f"/orga/{event.slug}/setup/")
    assert desk.find("[data-check='window']").get_attribute("data-ok") == "1"

    # 4. Two enterprises submit an entry each through the portal.
    entries = []
    for index in range(2):
        membership = MembershipFactory(is_admin=True)
        membership.user.set_password(PASSWORD)
        membership.user.save()
        portal = windows("desktop")
        entries.append(
            submit_entry(
                portal,
                event,
                membership.user.username,
                group=f"创新{index + 1}号QC小组",
                title=f"提高齿轮加工合格率（{index + 1}）",
                report=pdf_file(tmp_path, f"成果报告{index + 1}.pdf"),
            )
        )
        portal.wait_text("body", "已提交")
        portal.close()

    # 5. The organizer admits both and assigns the venue.
    for entry in entries:
        desk.open(f"/orga/{event.slug}/entries/{entry.pk}/")
        desk.click(f"input[name=verdict][value={Status.ADMITTED}]")
        desk.submit("#review-form button[type=submit]")
        desk.wait_text("body", "参评")
    desk.open(f"/orga/{event.slug}/venues/")
    desk.submit(f"form[action='/orga/{event.slug}/venues/assign/'] button[type=submit]")
    desk.wait_text("body", "已分配")
    desk.shot(2, "venues-assigned")
    assert VenueAssignment.objects.filter(venue=venue).count() == 2

    # 6. One judge signs in by the one-time link of the login card; the others by password.
    links = login_card_links(organizer, event.slug, tmp_path)
    assert len(links) == 3
    tablets = {}
    first = windows("tablet")
    first.driver.get(first.base + links[0][links[0].index("/judge/") :])
    first.submit("form[method=post] button[type=submit]")  # the card's page asks for a tap
    first.find("#running-order")
    signed_in = Judge.objects.get(event=event, signin_token_used_at__isnull=False)
    first.shot(3, "tablet-signed-in-by-card")
    tablets[signed_in.code] = first
    for judge in judges:
        if judge.code not in tablets:
            tablet = windows("tablet")
            tablet.sign_in(judge.user.username, "/judge/")
            tablets[judge.code] = tablet

    # 7. Every judge scores both entries; the chair locks the venue.
    for code, tablet in tablets.items():
        for index, entry in enumerate(entries):
            open_card(tablet, venue, entry)
            fill_and_submit(tablet, card_for(code, index))
            tablet.wait_text("#card-state", "已提交")
    assert (
        Scorecard.objects.filter(submission__event=event, status=CardStatus.SUBMITTED).count() == 6
    )
    chair = tablets["J01"]
    chair.open(f"/judge/venues/{venue.pk}/chair/")
    chair.click("#lock-venue")
    chair.wait_text("#locked-notice", "已锁定")
    assert VenueStatus.objects.get(venue=venue).is_locked

    # 8. Compute, publish, render certificates.
    awards = f"/orga/{event.slug}/awards/"
    desk.open(awards)
    desk.submit(f"form[action='{awards}run/'] button[type=submit]")
    desk.find("#run-progress a.btn-outline-primary")
    run = AwardRun.objects.filter(event=event).latest("pk")
    assert run.status == "done"
    winner = run.results.get(decision="benchmark").submission
    assert winner.title == "提高齿轮加工合格率（1）"
    assert run.results.get(submission=winner).final_score == Decimal("82.50")
    desk.type("#id_days", "5")
    desk.submit(f"form[action='{awards}publish/'] button[type=submit]")
    desk.wait_text("#publication", "公示期")
    assert Publication.objects.get(event=event).run_id == run.pk
    desk.open(f"/e/{event.slug}/results/")
    desk.wait_text("body", winner.title)
    desk.shot(4, "results-published")

    desk.open(f"/orga/{event.slug}/documents/")
    desk.submit(f"form[action='/orga/{event.slug}/documents/certificates/render/'] button")
    desk.wait_text("body", "已生成")
    desk.shot(5, "certificates-rendered")
    certificates = Certificate.objects.filter(event=event, submission=winner)
    assert certificates.exists() and all(c.file for c in certificates)
    assert all(c.number.startswith(f"CMQA-{start.year}-") for c in certificates)
    assert Submission.objects.filter(event__slug="cmqa-40").count() == 0  # last year untouched
