"""The data migration that gives judges accounts of their own keeps the good ones."""

import datetime as dt

import pytest

# The other apps as they stood then too: a later column (an event's notice, NOT NULL) would
# refuse the rows the old models write.
BEFORE = [
    ("judging", "0003_run_fairness"),
    ("events", "0003_registration_capacity"),
    ("submissions", "0003_delegates"),
]
AFTER = [("judging", "0004_judge_accounts_owned_by_their_event")]


@pytest.mark.django_db(transaction=True)
def test_judges_on_staff_enterprise_or_shared_accounts_get_their_own(migrated_to):
    apps = migrated_to(BEFORE)
    User = apps.get_model("auth", "User")
    Event = apps.get_model("events", "Event")
    Enterprise = apps.get_model("submissions", "Enterprise")
    Membership = apps.get_model("submissions", "Membership")
    Judge = apps.get_model("judging", "Judge")
    day = dt.date(2021, 9, 23)
    first = Event.objects.create(slug="cmqa-40", name="第40次", start_date=day, end_date=day)
    second = Event.objects.create(slug="cmqa-41", name="第41次", start_date=day, end_date=day)
    own = User.objects.create(username="chair1", password="kept")
    root = User.objects.create(username="root", is_staff=True, is_superuser=True)
    shared = User.objects.create(username="shared")
    member = User.objects.create(username="enterprise-user")
    Membership.objects.create(user=member, enterprise=Enterprise.objects.create(name="甲公司"))
    rows = {
        "J01": Judge.objects.create(event=first, code="J01", name="甲", user=own),
        "J02": Judge.objects.create(event=first, code="J02", name="乙", user=root),
        "J03": Judge.objects.create(event=first, code="J03", name="丙", user=shared),
        "J04": Judge.objects.create(event=second, code="J04", name="丁", user=shared),
        "J05": Judge.objects.create(event=second, code="J05", name="戊", user=member),
    }

    apps = migrated_to(AFTER)
    Judge = apps.get_model("judging", "Judge")
    users = {j.code: j.user for j in Judge.objects.select_related("user")}
    assert users["J01"].username == "chair1" and users["J01"].password == "kept"
    assert users["J03"].username == "shared"  # the judge saved first keeps it
    assert users["J02"].username == "cmqa-40-j02"
    assert users["J04"].username == "cmqa-41-j04"
    assert users["J05"].username == "cmqa-41-j05"
    for code in ("J02", "J04", "J05"):
        assert not users[code].is_staff and users[code].password.startswith("!")
    assert len({u.pk for u in users.values()}) == len(rows)
