"""Judges added and imported by the organizer: each with an account the event owns."""

import io
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from judging.models import Judge, PanelSeat
from judging.scoring.judges import JudgesImportRefused, import_judges
from tests.factories import (
    CategoryFactory,
    EventFactory,
    SubmissionFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

HEADER = ["评委编号", "姓名", "工作单位", "所属集团", "省份", "分会场", "角色", "手机", "电子邮箱"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def event():
    event = EventFactory(slug="cmqa-41")
    category = CategoryFactory(event=event)
    VenueFactory(event=event, category=category, number=1, name="第1分会场")
    VenueFactory(event=event, category=category, number=2, name="第2分会场")
    SubmissionFactory(event=event, category=category, enterprise__name="甲机械有限公司")
    return event


def workbook(*rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "judges"
    for row in (HEADER, *rows):
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_import_creates_judges_seats_and_own_accounts(event):
    summary = import_judges(
        event=event,
        source=workbook(
            ["J01", "张三", "甲机械有限公司", "甲集团", "浙江", 1, "组长", "13800000000", "a@b.cn"],
            ["J02", "李四", "某大学", "", "江苏", 1, "评委", "", ""],
            ["J03", "王五", "", "", "", "", "", "", ""],
        ),
    )
    assert (summary.created, summary.updated, summary.seated, summary.accounts) == (3, 0, 2, 3)
    chair = Judge.objects.get(event=event, code="J01")
    assert chair.affiliation.name == "甲机械有限公司"
    assert (chair.parent_group, chair.email, chair.phone) == ("甲集团", "a@b.cn", "13800000000")
    assert Judge.objects.get(code="J02").affiliation is None
    assert Judge.objects.get(code="J02").affiliation_name == "某大学"
    assert sorted(PanelSeat.objects.values_list("judge__code", "venue__number", "role")) == [
        ("J01", 1, "chair"),
        ("J02", 1, "member"),
    ]
    users = [judge.user for judge in Judge.objects.filter(event=event)]
    assert [u.username for u in users] == ["cmqa-41-j01", "cmqa-41-j02", "cmqa-41-j03"]
    assert not any(u.has_usable_password() or u.is_staff for u in users)


def test_import_recuses_a_judge_from_their_own_enterprises_entry(event):
    import_judges(
        event=event, source=workbook(["J01", "张三", "甲机械有限公司", "", "", 1, "评委"])
    )
    judge = Judge.objects.get(code="J01")
    assert [(r.submission.enterprise.name, r.source) for r in judge.recusals.all()] == [
        ("甲机械有限公司", "enterprise")
    ]


def test_reimport_updates_and_moves_the_chair(event):
    import_judges(event=event, source=workbook(["J01", "张三", "", "", "", 1, "组长"]))
    user = Judge.objects.get(code="J01").user
    summary = import_judges(
        event=event,
        source=workbook(
            ["J01", "张三丰", "", "", "", 2, "组长"], ["J02", "李四", "", "", "", 1, "组长"]
        ),
    )
    assert (summary.created, summary.updated) == (1, 1)
    judge = Judge.objects.get(code="J01")
    assert (judge.name, judge.user) == ("张三丰", user)
    assert sorted(PanelSeat.objects.values_list("judge__code", "venue__number", "role")) == [
        ("J01", 2, "chair"),
        ("J02", 1, "chair"),
    ]


def test_import_is_all_or_nothing_with_positions(event):
    with pytest.raises(JudgesImportRefused) as refused:
        import_judges(
            event=event,
            source=workbook(
                ["J01", "张三", "", "", "", 1, "组长"], ["J02", "李四", "", "", "", 9, "评委"]
            ),
        )
    assert [str(e) for e in refused.value.errors] == [
        "工作表“judges”第3行，F列“分会场”：本活动没有第9分会场（现有：1、2）"
    ]
    assert not Judge.objects.exists()


def test_import_refuses_a_second_chair_at_a_venue(event):
    import_judges(event=event, source=workbook(["J01", "张三", "", "", "", 1, "组长"]))
    with pytest.raises(JudgesImportRefused) as refused:
        import_judges(event=event, source=workbook(["J02", "李四", "", "", "", 1, "组长"]))
    assert [str(e) for e in refused.value.errors] == [
        "工作表“judges”第2行，G列“角色”：第1分会场已有组长 J01 张三"
    ]


def test_import_judges_command(event, tmp_path, capsys):
    path = tmp_path / "judges.xlsx"
    path.write_bytes(workbook(["J01", "张三", "", "", "", 1, "评委"]).getvalue())
    call_command("import_judges", "cmqa-41", str(path))
    assert "新增 1 位" in capsys.readouterr().out
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook(["", "张三", "", "", "", 1, "评委"]).getvalue())
    with pytest.raises(CommandError, match="未导入任何评委"):
        call_command("import_judges", "cmqa-41", str(bad))


def organizer_client(client, event):
    user = UserFactory(username="orga-41")
    event.staff.add(user)
    client.force_login(user)
    return client


def test_organizer_adds_a_judge_with_a_seat(client, event):
    organizer_client(client, event)
    venue = event.venues.get(number=1)
    response = client.post(
        reverse("judging:judges", args=[event.slug]),
        {"code": "J07", "name": "周八", "venue": venue.pk, "role": "chair"},
    )
    assert response.status_code == 302
    judge = Judge.objects.get(code="J07")
    assert judge.seats.get().role == "chair"
    assert judge.user.username == "cmqa-41-j07"


def test_judge_form_refuses_another_events_venue(client, event):
    organizer_client(client, event)
    other = VenueFactory(number=1)
    response = client.post(
        reverse("judging:judges", args=[event.slug]),
        {"code": "J07", "name": "周八", "venue": other.pk, "role": "member"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["venue"]
    assert not Judge.objects.exists()


def test_upload_page_imports_and_reports_errors(client, event):
    organizer_client(client, event)
    url = reverse("judging:judges_import", args=[event.slug])
    upload = workbook(["J01", "张三", "", "", "", 5, "评委"])
    upload.name = "judges.xlsx"
    response = client.post(url, {"file": upload})
    assert "本活动没有第5分会场" in response.content.decode()
    upload = workbook(["J01", "张三", "", "", "", 1, "评委"])
    upload.name = "judges.xlsx"
    assert client.post(url, {"file": upload}).status_code == 302
    assert Judge.objects.filter(event=event).count() == 1


def test_template_download(client, event):
    organizer_client(client, event)
    response = client.get(reverse("judging:judges_template", args=[event.slug]))
    assert response["Content-Disposition"].endswith('judges.xlsx"')
    from judging.scoring.judges_excel import parse_judges_workbook

    assert parse_judges_workbook(io.BytesIO(response.content)).errors == ()


def test_login_cards_say_how_many_and_why_judges_were_left_out(client, event, tmp_path):
    organizer_client(client, event)
    import_judges(
        event=event,
        source=workbook(
            ["J01", "张三", "", "", "", 1, "组长"], ["J02", "李四", "", "", "", "", ""]
        ),
    )
    response = client.post(reverse("judging:login_cards", args=[event.slug]))
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "共打印 1 张登录卡" in text
    assert "J02 李四：未安排分会场席位" in text


def test_login_cards_of_an_event_without_judges_explain_why(client, event, tmp_path):
    organizer_client(client, event)
    response = client.post(reverse("judging:login_cards", args=[event.slug]))
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "共打印 0 张登录卡" in text
    assert "本活动尚无评委" in text


def test_organizer_of_another_event_reaches_none_of_these_pages(client, event):
    other = EventFactory(slug="other")
    user = UserFactory(username="orga-other")
    other.staff.add(user)
    client.force_login(user)
    for name in ("judging:judges", "judging:judges_import", "judging:judges_template"):
        assert client.get(reverse(name, args=[event.slug])).status_code == 404
    assert client.post(reverse("judging:login_cards", args=[event.slug])).status_code == 404
