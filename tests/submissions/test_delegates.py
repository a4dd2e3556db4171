"""Delegate registration: import all or nothing, duplicates, capacity, deadline, links."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError
from django.utils import timezone

from submissions.models import Delegate
from submissions.services.delegates import (
    DelegateImportRefused,
    import_delegates,
    register_delegate,
)
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    EventFactory,
    MemberFactory,
    SubmissionFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "单位", "统一社会信用代码", "职务", "手机", "电子邮箱", "参会类型", "住宿"]


def workbook(rows, header=HEADER) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "delegates"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def person(n, organization="杭州精工机械有限公司", kind="代表"):
    return [f"代表{n}", organization, "", "", f"138{n:08d}", "", kind, "是"]


def test_import_delegates_creates_rows_and_links_enterprise_and_member():
    event = EventFactory()
    enterprise = EnterpriseFactory(name="杭州精工机械有限公司", province="浙江")
    entry = SubmissionFactory(event=event, enterprise=enterprise)
    member = MemberFactory(submission=entry, name="代表1")

    summary = import_delegates(event=event, source=workbook([person(1), person(2, "中国某协会")]))

    assert (summary.created, summary.updated) == (2, 0)
    first, second = Delegate.objects.order_by("mobile")
    assert (first.enterprise, first.member, first.province) == (enterprise, member, "浙江")
    assert (second.enterprise, second.organization_kind) == (None, "association")
    assert len(first.checkin_code) == 14 and first.checkin_code != second.checkin_code


def test_import_delegates_with_one_bad_row_saves_nothing():
    event = EventFactory()
    bad = person(3)
    bad[4] = "999"

    with pytest.raises(DelegateImportRefused) as refused:
        import_delegates(event=event, source=workbook([person(1), person(2), bad]))

    assert [(e.row, e.letter) for e in refused.value.errors] == [(4, "E")]
    assert Delegate.objects.count() == 0


def test_import_delegates_refuses_mobile_of_another_person_in_the_event():
    event = EventFactory()
    import_delegates(event=event, source=workbook([person(1)]))
    other = person(1)
    other[0] = "别人"

    with pytest.raises(DelegateImportRefused) as refused:
        import_delegates(event=event, source=workbook([other]))

    error = refused.value.errors[0]
    assert (error.row, error.letter) == (2, "E")
    assert "代表1" in error.message


def test_import_delegates_again_updates_in_place():
    event = EventFactory()
    import_delegates(event=event, source=workbook([person(1)]))
    code = Delegate.objects.get().checkin_code

    summary = import_delegates(event=event, source=workbook([person(1, kind="嘉宾")]))

    assert (summary.created, summary.updated) == (0, 1)
    assert (Delegate.objects.get().kind, Delegate.objects.get().checkin_code) == ("guest", code)


def test_import_delegates_over_event_capacity_is_refused():
    event = EventFactory(delegate_capacity=1)

    with pytest.raises(DelegateImportRefused) as refused:
        import_delegates(event=event, source=workbook([person(1), person(2)]))

    assert "名额为 1 人" in refused.value.errors[0].message


def test_command_import_delegates_exits_with_errors(tmp_path):
    event = EventFactory(slug="cmd-ev")
    path = tmp_path / "d.xlsx"
    bad = person(1)
    bad[6] = "观众"
    path.write_bytes(workbook([bad]).getvalue())

    with pytest.raises(CommandError):
        call_command("import_delegates", "cmd-ev", str(path))
    assert Delegate.objects.filter(event=event).count() == 0


def test_register_delegate_same_mobile_is_refused_with_a_message():
    event = EventFactory()
    register_delegate(
        event=event, delegate=Delegate(name="甲", organization="A", mobile="13800000001")
    )

    with pytest.raises(ValidationError) as refused:
        register_delegate(
            event=event, delegate=Delegate(name="乙", organization="B", mobile="13800000001")
        )

    assert "甲（A）" in refused.value.message_dict["mobile"][0]


def test_database_refuses_same_mobile_in_one_event():
    event = EventFactory()
    Delegate.objects.create(event=event, name="甲", organization="A", mobile="13800000001")

    with pytest.raises(IntegrityError):
        Delegate.objects.create(event=event, name="乙", organization="B", mobile="13800000001")


def test_register_delegate_after_deadline_is_refused():
    event = EventFactory(registration_closes=timezone.now() - dt.timedelta(hours=1))

    with pytest.raises(ValidationError):
        register_delegate(
            event=event, delegate=Delegate(name="甲", organization="A", mobile="13800000001")
        )


def test_register_delegate_full_venue_is_refused():
    event = EventFactory()
    venue = VenueFactory(event=event, category=CategoryFactory(event=event), capacity=1)
    register_delegate(
        event=event,
        delegate=Delegate(name="甲", organization="A", mobile="13800000001"),
        venues=[venue],
    )

    with pytest.raises(ValidationError) as refused:
        register_delegate(
            event=event,
            delegate=Delegate(name="乙", organization="A", mobile="13800000002"),
            venues=[venue],
        )

    assert "已满" in refused.value.messages[0]


def test_portal_registers_a_delegate_and_refuses_a_duplicate(client):
    from tests.factories import MembershipFactory

    event = EventFactory(registration_closes=timezone.now() + dt.timedelta(days=3))
    membership = MembershipFactory()
    client.force_login(membership.user)
    url = f"/portal/{event.slug}/delegates/new/"
    data = {
        "name": "王强",
        "mobile": "138 0000 7777",
        "kind": "delegate",
        "organization_kind": "enterprise",
        "attends_plenary": "on",
        "lodging": "on",
    }

    first = client.post(url, data)
    second = client.post(url, {**data, "name": "赵六"})

    assert first.status_code == 302
    delegate = Delegate.objects.get()
    assert (delegate.enterprise, delegate.mobile, delegate.lodging) == (
        membership.enterprise,
        "13800007777",
        True,
    )
    assert second.status_code == 200
    assert "王强" in second.content.decode()  # the message names the earlier registration
    assert Delegate.objects.count() == 1


def test_portal_delegate_of_another_enterprise_is_not_found(client):
    from tests.factories import MembershipFactory

    event = EventFactory(registration_closes=timezone.now() + dt.timedelta(days=3))
    other = Delegate.objects.create(
        event=event,
        name="甲",
        organization="A",
        mobile="13800000001",
        enterprise=EnterpriseFactory(),
    )
    client.force_login(MembershipFactory().user)

    response = client.get(f"/portal/{event.slug}/delegates/{other.pk}/")

    assert response.status_code == 404
