"""A contest or honour announced at an event: the organizer's page, the service, the public pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from events.models import AuditLog, Event
from judging.models import ScoreSheet
from judging.setup.contest_defaults import DEFAULTS, items_total
from judging.setup.contest_services import ContestCategory, create_contest
from tests.factories import CategoryFactory, EventFactory, UserFactory, blank_pdf

pytestmark = pytest.mark.django_db


PDF = blank_pdf()
NOTICE = "各有关单位：\n为大力弘扬工匠精神，决定开展机械工业“质量工匠”大赛。"


@pytest.fixture
def announcer():
    event = EventFactory(slug="cmqa-40", name="第40次交流活动")
    event.staff.add(UserFactory(username="orga"))
    CategoryFactory(event=event)
    return event


def url(event) -> str:
    return reverse("judging_setup:new_contest", args=[event.slug])


def form_data(**changes) -> dict:
    data = {
        "name": "机械工业“质量工匠”大赛",
        "short_name": "质量工匠大赛",
        "slug": "cmqa-craftsman-2022",
        "start_date": "2022-06-20",
        "end_date": "2022-06-21",
        "submission_opens": "2022-01-10T09:00",
        "submission_closes": "2022-04-30T17:00",
        "notice": NOTICE,
        "is_public": "on",
        "craftsman-include": "on",
        "craftsman-name": "质量工匠",
        "craftsman-honour": "质量工匠",
        "craftsman-honour_prefix": "机械工业",
        "craftsman-code_prefix": "GJ",
        "craftsman-nomination_limit": "3",
        "craftsman-readers_per_nomination": "5",
        "craftsman-quota_count": "20",
        "org-name": "优秀组织单位",
        "org-honour": "群众性质量管理活动优秀组织单位",
        "org-code_prefix": "ZZ",
        "org-readers_per_nomination": "3",
        "person-name": "优秀推进者",
        "person-honour": "群众性质量管理活动优秀推进者",
        "person-code_prefix": "GR",
        "person-readers_per_nomination": "3",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_page_offers_the_three_nomination_kinds_with_their_defaults(client, announcer):
    client.force_login(announcer.staff.get())
    response = client.get(url(announcer))
    html = response.content.decode()
    assert response.status_code == 200
    assert [s.kind for s in response.context["sections"]] == ["org", "person", "craftsman"]
    initial = {s.kind: s["include"].value() for s in response.context["sections"]}
    assert initial == {"org": False, "person": False, "craftsman": True}
    assert 'name="craftsman-code_prefix"' in html and 'value="GJ"' in html
    # the announcing event's honour prefix is proposed for the new categories
    assert response.context["sections"][2]["honour_prefix"].value() == "机械工业"


def test_setup_page_and_control_room_link_to_the_contest_page(client, announcer):
    client.force_login(announcer.staff.get())
    setup = client.get(reverse("judging_setup:setup", args=[announcer.slug])).content.decode()
    room = client.get(reverse("judging:control_room", args=[announcer.slug])).content.decode()
    assert f'href="{url(announcer)}"' in setup
    assert f'href="{url(announcer)}"' in room


def test_post_creates_the_contest_with_its_category_sheet_notice_and_organizer(client, announcer):
    user = announcer.staff.get()
    client.force_login(user)
    response = client.post(url(announcer), form_data(), follow=True)
    contest = Event.objects.get(slug="cmqa-craftsman-2022")
    assert response.redirect_chain == [("/orga/cmqa-craftsman-2022/setup/", 302)]
    assert "已创建“机械工业“质量工匠”大赛”" in response.content.decode()
    assert (contest.announced_at, contest.notice, contest.is_public) == (announcer, NOTICE, True)
    assert list(contest.staff.all()) == [user]
    assert (contest.start_date, contest.end_date) == (dt.date(2022, 6, 20), dt.date(2022, 6, 21))
    opens = timezone.localtime(contest.submission_opens)
    assert (opens.date(), opens.hour) == (dt.date(2022, 1, 10), 9)
    assert contest.organizers == announcer.organizers
    (category,) = contest.categories.all()
    assert (
        category.kind,
        category.name,
        category.code_prefix,
        category.honour_for_certificate(),
        category.nomination_limit,
        category.readers_per_nomination,
        category.quota_count,
    ) == ("craftsman", "质量工匠", "GJ", "2022年机械工业质量工匠", 3, 5, 20)
    sheet = ScoreSheet.objects.get(category=category)
    points = [item.max_points for item in sheet.items.all()]
    assert (sheet.phase, sheet.total, sum(points)) == ("documents", 100, 100)
    assert points == [Decimal(p) for p in (20, 25, 30, 15, 10)]
    log = AuditLog.objects.get(action="create_contest")
    assert (log.actor, log.event, log.details["announced_at"]) == (user, contest, "cmqa-40")


def test_post_with_three_kinds_and_a_notice_pdf_only(client, announcer):
    client.force_login(announcer.staff.get())
    data = form_data(**{"notice": "", "org-include": "on", "person-include": "on"})
    data["notice_file"] = SimpleUploadedFile("通知.pdf", PDF, content_type="application/pdf")
    response = client.post(url(announcer), data)
    assert response.status_code == 302
    contest = Event.objects.get(slug="cmqa-craftsman-2022")
    kinds = list(contest.categories.order_by("order").values_list("kind", "code_prefix"))
    assert kinds == [("org", "ZZ"), ("person", "GR"), ("craftsman", "GJ")]
    assert ScoreSheet.objects.filter(event=contest, phase="documents").count() == 3
    for sheet in ScoreSheet.objects.filter(event=contest).prefetch_related("items"):
        assert sum(item.max_points for item in sheet.items.all()) == 100, sheet.name
    assert contest.notice == ""
    with contest.notice_file.open("rb") as handle:
        assert handle.read() == PDF


def test_all_defaults_add_up_to_one_hundred():
    assert {kind: items_total(d.items) for kind, d in DEFAULTS.items()} == {
        "org": 100,
        "person": 100,
        "craftsman": 100,
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"slug": "cmqa-40"}, "slug", "活动标识“cmqa-40”已被使用，请换一个。"),
        ({"end_date": "2022-06-19"}, "end_date", "结束日期 2022-06-19 早于开始日期 2022-06-20。"),
        (
            {"submission_closes": "2022-01-01T09:00"},
            "submission_closes",
            "申报截止时间必须晚于申报开始时间。",
        ),
        (
            {"submission_closes": "2022-07-01T17:00"},
            "submission_closes",
            "申报截止（2022-07-01）晚于活动开始日期 2022-06-20：评审和表彰须在申报截止之后。",
        ),
        ({"notice": ""}, "notice", "请填写通知正文或上传通知 PDF，至少一项。"),
        (
            {"craftsman-include": None},
            "__all__",
            "请至少选择一个评选类别（优秀组织单位、优秀个人或质量工匠）。",
        ),
        (
            {"org-include": "on", "org-code_prefix": "GJ"},
            "__all__",
            "编号前缀“GJ”被两个类别使用，每个类别的前缀须不同。",
        ),
    ],
)
def test_invalid_post_says_what_is_wrong_and_creates_nothing(
    client, announcer, changes, field, message
):
    client.force_login(announcer.staff.get())
    response = client.post(url(announcer), form_data(**changes))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert Event.objects.count() == 1


def test_an_included_kind_needs_its_honour(client, announcer):
    client.force_login(announcer.staff.get())
    response = client.post(url(announcer), form_data(**{"craftsman-honour": ""}))
    assert response.status_code == 400
    craftsman = response.context["sections"][2]
    assert craftsman.errors["honour"] == ["设立“质量工匠”类别时须填写荣誉名称。"]
    assert Event.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html>not a pdf</html>", "文件内容不是 PDF 或 PPTX（按内容识别，与文件扩展名无关）"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n", "PDF 文件不完整（缺少文件结束标记），请重新导出后上传"),
        (b"", "文件为空"),
    ],
)
def test_notice_file_is_checked_by_its_content(client, announcer, content, message):
    client.force_login(announcer.staff.get())
    data = form_data()
    data["notice_file"] = SimpleUploadedFile("通知.pdf", content, content_type="application/pdf")
    response = client.post(url(announcer), data)
    assert response.status_code == 400
    errors = response.context["form"].errors["notice_file"]
    if content:
        assert errors == [f"通知.pdf：{message}"]
    else:  # Django's own check of an empty upload comes first
        assert len(errors) == 1
    assert Event.objects.count() == 1


def test_a_pptx_is_not_a_notice(client, announcer):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        )
    client.force_login(announcer.staff.get())
    data = form_data()
    data["notice_file"] = SimpleUploadedFile("通知.pptx", buffer.getvalue())
    response = client.post(url(announcer), data)
    assert response.context["form"].errors["notice_file"] == ["通知.pptx：通知文件只接受 PDF 文件"]


def test_only_organizers_of_the_announcing_event_may(client, announcer):
    other = EventFactory(slug="other")
    stranger = UserFactory(username="stranger")
    other.staff.add(stranger)
    client.force_login(stranger)
    assert client.get(url(announcer)).status_code == 404
    assert client.post(url(announcer), form_data()).status_code == 404
    assert not Event.objects.filter(slug="cmqa-craftsman-2022").exists()
    client.logout()
    response = client.get(url(announcer))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_service_raises_every_problem_at_once_by_field(announcer):
    with pytest.raises(ValidationError) as raised:
        create_contest(
            announced_at=announcer,
            slug="bad slug",
            name="",
            start_date=dt.date(2022, 6, 20),
            end_date=dt.date(2022, 6, 1),
            submission_opens=timezone.now(),
            submission_closes=timezone.now() - dt.timedelta(days=1),
            categories=[ContestCategory("qc", "QC成果", "标杆", "QC")],
        )
    errors = raised.value.message_dict
    assert set(errors) == {"name", "slug", "end_date", "submission_closes", "notice", "__all__"}
    assert errors["__all__"] == ["类别“QC成果”不是推荐评选类别。"]
    assert Event.objects.count() == 1


def test_public_page_shows_the_notice_and_the_announcer_links_to_the_contest(client, announcer):
    contest = create_contest(
        announced_at=announcer,
        slug="cmqa-craftsman-2022",
        name="机械工业“质量工匠”大赛",
        start_date=dt.date(2022, 6, 20),
        end_date=dt.date(2022, 6, 21),
        submission_opens=timezone.make_aware(dt.datetime(2022, 1, 10, 9)),
        submission_closes=timezone.make_aware(dt.datetime(2022, 4, 30, 17)),
        categories=[ContestCategory("craftsman", "质量工匠", "质量工匠", "GJ")],
        notice=NOTICE,
        notice_file=SimpleUploadedFile("通知.pdf", PDF),
    )
    page = client.get(reverse("events:detail", args=[contest.slug])).content.decode()
    assert "<p>各有关单位：<br>为大力弘扬工匠精神，决定开展机械工业“质量工匠”大赛。</p>" in page
    assert f'href="{reverse("events:notice_file", args=[contest.slug])}"' in page
    assert f'在<a href="/e/cmqa-40/">{announcer.name}</a>上发布' in page
    announcing = client.get(reverse("events:detail", args=[announcer.slug])).content.decode()
    assert 'href="/e/cmqa-craftsman-2022/"' in announcing and "申报截止 2022-04-30" in announcing
    download = client.get(reverse("events:notice_file", args=[contest.slug]))
    assert (download.status_code, download["Content-Type"]) == (200, "application/pdf")
    assert b"".join(download.streaming_content) == PDF


def test_announcers_shared_page_lists_a_contest_created_after_it_was_cached(
    client, announcer, settings
):
    settings.QCX_PUBLIC_CACHE_SECONDS = 60
    page = reverse("events:detail", args=[announcer.slug])
    assert "cmqa-craftsman-2022" not in client.get(page).content.decode()
    contest = create_contest(
        announced_at=announcer,
        slug="cmqa-craftsman-2022",
        name="机械工业“质量工匠”大赛",
        start_date=dt.date(2022, 6, 20),
        end_date=dt.date(2022, 6, 21),
        submission_opens=timezone.make_aware(dt.datetime(2022, 1, 10, 9)),
        submission_closes=timezone.make_aware(dt.datetime(2022, 4, 30, 17)),
        categories=[ContestCategory("craftsman", "质量工匠", "质量工匠", "GJ")],
        notice=NOTICE,
    )
    assert 'href="/e/cmqa-craftsman-2022/"' in client.get(page).content.decode()
    contest.name = "机械工业第一届“质量工匠”大赛"
    contest.save()
    assert "第一届“质量工匠”大赛" in client.get(page).content.decode()
    contest.is_public = False
    contest.save()
    assert "cmqa-craftsman-2022" not in client.get(page).content.decode()


def test_notice_file_of_a_hidden_event_or_without_a_file_is_404(client, announcer):
    assert client.get(reverse("events:notice_file", args=[announcer.slug])).status_code == 404
    hidden = EventFactory(slug="hidden", is_public=False)
    hidden.notice_file.save("hidden.pdf", SimpleUploadedFile("x.pdf", PDF))
    assert client.get(reverse("events:notice_file", args=["hidden"])).status_code == 404
    hidden.staff.add(announcer.staff.get())
    client.force_login(announcer.staff.get())
    assert client.get(reverse("events:notice_file", args=["hidden"])).status_code == 200


def test_readiness_asks_no_room_of_a_written_review(announcer):
    from judging.setup.selectors import readiness
    from tests.factories import VenueFactory

    category = CategoryFactory(event=announcer, kind="craftsman", code_prefix="GJ", name="质量工匠")
    VenueFactory(event=announcer, category=category, number=7, room="", mode="written")
    VenueFactory(event=announcer, category=category, number=8, room="")
    venues = next(check for check in readiness(announcer) if check.key == "venues")
    assert [problem.text for problem in venues.problems] == ["第8分会场 没有会议室"]


def test_a_contest_with_a_skills_test_after_the_written_review(client, announcer):
    """Ticked on the page: the category gets its on-site sheet and venue besides the written
    review, the two phases combined by weights 0.6 and 0.4; the other kinds stay written only."""
    from events.enums import VenueMode

    client.force_login(announcer.staff.get())
    data = form_data(**{"craftsman-defence": "on", "person-include": "on"})
    assert client.post(url(announcer), data).status_code == 302
    contest = Event.objects.get(slug="cmqa-craftsman-2022")
    craftsman = contest.categories.get(kind="craftsman")
    person = contest.categories.get(kind="person")
    assert (craftsman.phase_combination, person.phase_combination) == ("weights", "sum")
    sheets = {s.phase: s for s in ScoreSheet.objects.filter(category=craftsman)}
    assert set(sheets) == {"documents", "onsite"}
    assert (sheets["documents"].weight, sheets["onsite"].weight) == (Decimal("0.6"), Decimal("0.4"))
    assert sheets["onsite"].name == "质量工匠技能比武评分表"
    assert [(i.code, i.max_points) for i in sheets["onsite"].items.all()] == [
        ("S1", Decimal("60")),
        ("S2", Decimal("40")),
    ]
    venues = list(contest.venues.order_by("number").values_list("number", "mode", "category__kind"))
    assert venues == [
        (1, VenueMode.WRITTEN, "person"),
        (2, VenueMode.WRITTEN, "craftsman"),
        (3, VenueMode.ONSITE, "craftsman"),
    ]  # the page's order of kinds; the on-site phases after every written review
    onsite = contest.venues.get(mode=VenueMode.ONSITE)
    assert (onsite.name, onsite.day) == ("技能比武（质量工匠）", contest.start_date)
    assert ScoreSheet.objects.filter(category=person).get().phase == "documents"
    log = AuditLog.objects.get(action="create_contest")
    assert log.details["defence"] == ["craftsman"]
