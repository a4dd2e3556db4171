"""Every URL of the project × every role of design.md → the status that role must get.

The patterns are walked from the URL configuration, so a new URL without a rule in RULES
fails the suite. Other enterprises' entries and files, other venues' cards and unpublished
results answer 404, never 403 (a 403 would confirm that the id exists).
"""

import json
import re
import uuid

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.world import POINTS, ROLES, build_world

# Deliberately not walked: the Django admin (its own permission system, covered by the admin
# tests), the language switch (a redirect for everyone) and static files; DRF format-suffix
# duplicates (`.json` twins of an API URL) would repeat their base pattern's rule.
SKIPPED_PREFIXES = ("admin/", "i18n/", "static/", "media-not-served/")


def is_format_suffix(route: str) -> bool:
    return "<format>" in route or "(?P<format>" in route or "<drf_format_suffix" in route


def walk(resolver=None, prefix="", namespace=""):
    """Yield (name, route) of every URL pattern, descending into includes."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, route


def walked():
    """Return {name: route} of the patterns under test, and the skipped routes."""
    tested, skipped = {}, []
    for name, route in walk():
        if route.startswith(SKIPPED_PREFIXES) or is_format_suffix(route):
            skipped.append(route)
        else:
            assert name is not None, f"URL {route} has no name; the matrix keys rules by name"
            tested[name] = route
    return tested, skipped


# Expected statuses ---------------------------------------------------------------------
# ALLOWED marks a role that may POST to a POST-only view; the matrix does not exercise it
# (that would change data) — the feature tests of each view do.
ALLOWED = "allowed"
LOGIN = 302  # anonymous visitors of a signed-in page are sent to the login page


def every(status):
    return dict.fromkeys(ROLES, status)


def only(status_for_others, anonymous=LOGIN, **statuses):
    table = every(status_for_others)
    table["anonymous"] = anonymous
    table.update(statuses)
    return table


PUBLIC = every(200)
SIGNED_IN = only(200)
ORGANIZER = only(404, organizer=200)
ORGANIZER_POST = only(404, organizer=ALLOWED)
ENTERPRISE_A = only(404, enterprise_a=200)
ENTERPRISE_A_POST = only(404, enterprise_a=ALLOWED)
ANY_ENTERPRISE = only(404, enterprise_a=200, enterprise_b=200)
JUDGES_V1 = only(404, judge_v1=200, chair_v1=200)
CHAIR_V1 = only(404, chair_v1=200)
CHAIR_V1_POST = only(404, chair_v1=ALLOWED)
API_JUDGES_V1 = only(404, anonymous=403, judge_v1=200, chair_v1=200)

# URL name → (method, {role: status}).
RULES = {
    "home": ("GET", PUBLIC),
    "healthz": ("GET", PUBLIC),
    "login": ("GET", PUBLIC),
    "logout": ("POST", every(302)),
    "signup": ("GET", only(302, anonymous=200)),
    "signup_confirm": ("GET", every(400)),
    "password_reset": ("GET", PUBLIC),
    "password_reset_done": ("GET", PUBLIC),
    "password_reset_confirm": ("GET", PUBLIC),
    "password_reset_complete": ("GET", PUBLIC),
    # Enterprise portal.
    "submissions:dashboard": ("GET", SIGNED_IN),
    "submissions:team": ("GET", ANY_ENTERPRISE),
    "submissions:entry_create": ("GET", ANY_ENTERPRISE),
    "submissions:entry": ("GET", ENTERPRISE_A),
    # The entry is admitted, so its own enterprise is sent back to the entry page.
    "submissions:entry_edit": ("GET", only(404, enterprise_a=302)),
    "submissions:entry_submit": ("POST", ENTERPRISE_A_POST),
    "submissions:entry_reopen": ("POST", ENTERPRISE_A_POST),
    "submissions:attachment_upload": ("POST", ENTERPRISE_A_POST),
    "submissions:attachment": ("GET", ENTERPRISE_A),
    "submissions:attachment_delete": ("POST", ENTERPRISE_A_POST),
    # The world has no nomination category: a result kind answers 404 to everyone (the roles
    # on a nomination category: tests/submissions/test_nominations_portal.py).
    "submissions:nomination_create": ("GET", only(404)),
    # Entry A is a QC entry, so its own enterprise is sent to the entry's own form.
    "submissions:nomination_edit": ("GET", only(404, enterprise_a=302)),
    "submissions:nomination_withdraw": ("POST", ENTERPRISE_A_POST),
    "judging_documents:portal_certificates": ("GET", ANY_ENTERPRISE),
    # Results are in their notice window, not final: no certificate leaves yet.
    "judging_documents:portal_zip": ("GET", only(404)),
    "judging_documents:certificate_pdf": ("GET", ORGANIZER),
    # Organizer pages.
    "submissions_orga:entries": ("GET", ORGANIZER),
    "submissions_orga:export": ("GET", ORGANIZER),
    "submissions_orga:accounts": ("GET", ORGANIZER),
    "submissions_orga:entry": ("GET", ORGANIZER),
    "submissions_orga:attachment": ("GET", ORGANIZER),
    "submissions_orga:import": ("GET", ORGANIZER),
    "submissions_orga:template": ("GET", ORGANIZER),
    "submissions_orga:import_job": ("GET", ORGANIZER),
    "submissions_orga:import_job_status": ("GET", ORGANIZER),
    "submissions_orga:nominations_import": ("GET", ORGANIZER),
    "submissions_orga:nominations_template": ("GET", ORGANIZER),
    "schedule:overview": ("GET", ORGANIZER),
    "schedule:assign": ("POST", ORGANIZER_POST),
    "schedule:export": ("GET", ORGANIZER),
    "schedule:entry_action": ("POST", ORGANIZER_POST),
    "schedule:unrecuse": ("POST", ORGANIZER_POST),
    "schedule:venue": ("GET", ORGANIZER),
    "schedule:redraw": ("POST", ORGANIZER_POST),
    "schedule:recuse": ("POST", ORGANIZER_POST),
    "schedule:assign_reviewers": ("POST", ORGANIZER_POST),
    "schedule:print": ("GET", ORGANIZER),
    "schedule:pdf": ("GET", ORGANIZER),
    # Delegates (portal), people on site and the plenary.
    "submissions:delegates": ("GET", ANY_ENTERPRISE),
    "submissions:delegate_create": ("GET", ANY_ENTERPRISE),
    "submissions:delegate_edit": ("GET", ENTERPRISE_A),
    "people:people": ("GET", ORGANIZER),
    "judging_documents:start_badges": ("POST", ORGANIZER_POST),
    "judging_documents:badges_pdf": ("GET", only(404)),  # no badges rendered in the world
    "people:delegates_xlsx": ("GET", ORGANIZER),
    "people:hotel_xlsx": ("GET", ORGANIZER),
    "people:attendance": ("GET", ORGANIZER),
    "people:checkin": ("GET", ORGANIZER),
    "people:participation": ("GET", PUBLIC),
    "plenary:showcase": ("GET", ORGANIZER),
    "plenary:programme": ("GET", ORGANIZER),
    "plenary:public": ("GET", PUBLIC),
    "judging:control_room": ("GET", ORGANIZER),
    # Event set-up: the user's own events, the checklist, next year's event; role landing.
    "judging_setup:landing": ("GET", every(302)),
    "judging_setup:events": ("GET", SIGNED_IN),
    "judging_setup:setup": ("GET", ORGANIZER),
    "judging_setup:clone": ("POST", ORGANIZER_POST),
    "judging_setup:new_contest": ("GET", ORGANIZER),
    "judging:control_live": ("GET", ORGANIZER),
    "judging:unlock_venue": ("POST", ORGANIZER_POST),
    "judging:import_scores": ("GET", ORGANIZER),
    "judging:confirm_import": ("POST", ORGANIZER_POST),
    "judging:login_cards": ("POST", ORGANIZER_POST),
    "judging:export_anchor": ("POST", ORGANIZER_POST),
    "judging:judges": ("GET", ORGANIZER),
    "judging:judges_import": ("GET", ORGANIZER),
    "judging:judges_template": ("GET", ORGANIZER),
    "judging_documents:documents": ("GET", ORGANIZER),
    "judging_documents:job_progress": ("GET", ORGANIZER),
    "judging_documents:start_certificates": ("POST", ORGANIZER_POST),
    "judging_documents:start_report": ("POST", ORGANIZER_POST),
    "judging_documents:report_pdf": ("GET", ORGANIZER),
    "judging_documents:all_zip": ("GET", ORGANIZER),
    "judging_documents:enterprise_zip": ("GET", ORGANIZER),
    # Judges and chairs (venue 1's ids; venue 2's judge must not learn they exist).
    # A judge with a single seat is sent straight to their venue.
    "judging:judge_home": ("GET", only(200, judge_v1=302, judge_v2=302, chair_v1=302)),
    "judging:signin": ("GET", PUBLIC),
    "judging:venue": ("GET", JUDGES_V1),
    "judging:venue_order": ("GET", JUDGES_V1),
    "judging:offline_manifest": ("GET", JUDGES_V1),
    "judging:service_worker": ("GET", PUBLIC),  # the tablet's offline script, no data in it
    "judging:scorecard": ("GET", JUDGES_V1),
    "judging:report": ("GET", JUDGES_V1),
    "judging:entry_file": ("GET", JUDGES_V1),
    "judging:chair": ("GET", CHAIR_V1),
    "judging:chair_matrix": ("GET", CHAIR_V1),
    "judging:chair_advance": ("POST", CHAIR_V1_POST),
    "judging:chair_lock": ("POST", CHAIR_V1_POST),
    "judging:chair_receipt": ("GET", CHAIR_V1),
    "judging:chair_card": ("GET", CHAIR_V1),
    # API: DRF answers an anonymous caller 403 (no login page to send a tablet to).
    "judging:api_schema": ("GET", PUBLIC),
    "judging:api_docs": ("GET", PUBLIC),
    "judging:api_venues": ("GET", only(200, anonymous=403)),
    "judging:api_sheet": ("GET", API_JUDGES_V1),
    "judging:api_draft": ("POST", only(404, anonymous=403, judge_v1=ALLOWED, chair_v1=ALLOWED)),
    "judging:api_submit": ("POST", only(404, anonymous=403, judge_v1=ALLOWED, chair_v1=ALLOWED)),
    # Public pages.
    "events:detail": ("GET", PUBLIC),
    # The world's event has no notice file (tests/judging/setup/test_contests.py serves one).
    "events:notice_file": ("GET", every(404)),
    "schedule:public": ("GET", PUBLIC),
    "schedule:live": ("GET", PUBLIC),
    "judging:screen": ("GET", PUBLIC),
    "judging:screen_live": ("GET", PUBLIC),
    "judging_documents:verify": ("GET", PUBLIC),
    # Awards (organizers) and the published results (public, in the notice window).
    "awards:orga": ("GET", ORGANIZER),
    "awards:run": ("POST", ORGANIZER_POST),
    "awards:progress": ("GET", ORGANIZER),
    "awards:fairness": ("GET", ORGANIZER),
    "awards:fairness_status": ("GET", ORGANIZER),
    "awards:fairness_compute": ("POST", ORGANIZER_POST),
    "awards:export": ("GET", ORGANIZER),
    "awards:override": ("GET", ORGANIZER),
    "awards:publish": ("POST", ORGANIZER_POST),
    "awards:finalize": ("POST", ORGANIZER_POST),
    "awards:objection": ("GET", ORGANIZER),
    "awards:showcase_propose": ("POST", ORGANIZER_POST),
    "awards:showcase_add": ("POST", ORGANIZER_POST),
    "awards:showcase_remove": ("POST", ORGANIZER_POST),
    "awards_publication": ("GET", only(404, organizer=302)),  # the award page, publication part
    "awards_public:results": ("GET", PUBLIC),
    # Objections are signed: an enterprise user's, after signing in.
    "awards_public:objection": (
        "GET",
        only(403, anonymous=LOGIN, enterprise_a=200, enterprise_b=200),
    ),
    "awards_public:ledger_anchor": ("GET", PUBLIC),
    # An honour's own list (优秀个人 in the world), public like the results.
    "awards_honours": ("GET", PUBLIC),
}

# URL name → kwargs override, where a parameter name alone does not say which object it is.
PK_OF = {
    "submissions_orga:import_job": "import_job",
    "submissions_orga:import_job_status": "import_job",
    "schedule:entry_action": "assignment_a",
    "schedule:unrecuse": "recusal",
    "awards:objection": "objection",
    "awards:showcase_remove": "showcase",
    "submissions:delegate_edit": "delegate_a",
}


def kwargs_for(name: str, route: str, world) -> dict:
    """Fill a pattern's parameters from the world: always venue 1's and enterprise A's ids."""
    values = {
        "slug": world.event.slug,
        "pk": getattr(world, PK_OF.get(name, "entry_a")).pk,
        "attachment_pk": world.attachment_a.pk,
        "venue_id": world.venue1.pk,
        "submission_id": world.entry_a.pk,
        "card_id": world.card_v1.pk,
        "number": world.venue1.number,
        "kind": "person" if name == "awards_honours" else "qc",
        "token": world.signin_token if name == "judging:signin" else "not-a-valid-token",
        "uidb64": "MTIzNDU2",
        "request_id": uuid.uuid4(),
        "code": world.entry_a.code if name == "awards:override" else world.certificate.verify_code,
        "job_id": world.render_job.pk,
        "enterprise_id": world.enterprise_a.pk,
    }
    names = set(re.findall(r"<(?:\w+:)?(\w+)>", route))
    return {key: value for key, value in values.items() if key in names}


def post_body(name: str, world) -> tuple[str, str]:
    """Return a plausible body for a POST, so wrong roles fail on permission, not on input."""
    if name == "judging:api_submit":
        data = {"submission": world.entry_a.pk, "points": POINTS, "client_id": str(uuid.uuid4())}
        return json.dumps(data), "application/json"
    if name == "judging:api_draft":
        return json.dumps({"points": POINTS}), "application/json"
    return "", "application/x-www-form-urlencoded"


def snapshot() -> dict:
    """Return every row of the product's apps, to prove that refused requests change nothing."""
    rows = {}
    for label in ("events", "submissions", "judging"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


def request(client: Client, method: str, url: str, name: str, world):
    if method == "POST":
        body, content_type = post_body(name, world)
        return client.generic("POST", url, body, content_type=content_type)
    return client.get(url)


def client_for(role: str, world) -> Client:
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def test_every_url_has_a_rule():
    tested, skipped = walked()
    missing = sorted(set(tested) - set(RULES))
    stale = sorted(set(RULES) - set(tested))
    assert missing == [], f"new URL without a rule in RULES: {missing}"
    assert stale == [], f"rules for URLs that no longer exist: {stale}"
    assert all(set(expected) == set(ROLES) for _, expected in RULES.values())
    # Visible on purpose: exactly the admin and the language switch are not walked.
    assert sorted({route.split("/")[0] for route in skipped}) == ["admin", "i18n"]
    assert all(route.startswith(SKIPPED_PREFIXES) or is_format_suffix(route) for route in skipped)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role):
    world = build_world()
    tested, _ = walked()
    before = snapshot()
    wrong = []
    for name, route in sorted(tested.items()):
        if name not in RULES:
            continue  # test_every_url_has_a_rule names it
        method, expected = RULES[name]
        if expected[role] == ALLOWED:
            continue
        url = reverse(name, kwargs=kwargs_for(name, route, world))
        response = request(client_for(role, world), method, url, name, world)
        if response.status_code != expected[role]:
            wrong.append(f"{method} {url} ({name}): {response.status_code}, want {expected[role]}")
        elif expected[role] == LOGIN and role == "anonymous" and name != "logout":
            assert "/accounts/login/" in response["Location"], url
    assert wrong == [], "\n".join(wrong)
    assert snapshot() == before, "a request of this role changed data"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_wrong_roles_cannot_post_to_pages(role):
    """A page that accepts GET and POST refuses a POST from whoever may not see it."""
    world = build_world()
    tested, _ = walked()
    before = snapshot()
    wrong = []
    for name, route in sorted(tested.items()):
        if name not in RULES:
            continue  # test_every_url_has_a_rule names it
        method, expected = RULES[name]
        if method != "GET" or expected[role] != 404:
            continue
        url = reverse(name, kwargs=kwargs_for(name, route, world))
        response = client_for(role, world).post(url, {"verdict": "admitted", "reason": "x"})
        if response.status_code not in {404, 405}:
            wrong.append(f"POST {url} ({name}): {response.status_code}")
    assert wrong == [], "\n".join(wrong)
    assert snapshot() == before


def ids_of_others(world) -> list[tuple[str, str, dict]]:
    """Mixed ids a curious user might try: another enterprise's file, another venue's card."""
    return [
        (
            "enterprise_a",
            "submissions:attachment",
            {"pk": world.entry_a.pk, "attachment_pk": world.attachment_b.pk},
        ),
        (
            "enterprise_a",
            "submissions:attachment",
            {"pk": world.entry_b.pk, "attachment_pk": world.attachment_b.pk},
        ),
        ("enterprise_a", "submissions:entry", {"pk": world.entry_b.pk}),
        (
            "chair_v1",
            "judging:chair_card",
            {"venue_id": world.venue1.pk, "card_id": world.card_v2.pk},
        ),
        (
            "chair_v1",
            "judging:chair_card",
            {"venue_id": world.venue2.pk, "card_id": world.card_v2.pk},
        ),
        ("judge_v1", "judging:scorecard", {"submission_id": world.entry_b.pk}),
        ("judge_v1", "judging:report", {"submission_id": world.entry_b.pk}),
        (
            "judge_v1",
            "judging:entry_file",
            {"submission_id": world.entry_b.pk, "attachment_pk": world.attachment_b.pk},
        ),
        (
            "judge_v1",
            "judging:entry_file",
            {"submission_id": world.entry_a.pk, "attachment_pk": world.attachment_b.pk},
        ),
        ("judge_v1", "judging:api_sheet", {"submission_id": world.entry_b.pk}),
        ("judge_v1", "judging:venue_order", {"venue_id": world.venue2.pk}),
        (
            "organizer",
            "submissions_orga:attachment",
            {"slug": world.other_event.slug, "pk": world.entry_a.pk, "attachment_pk": 1},
        ),
        (
            "other_organizer",
            "submissions_orga:entry",
            {"slug": world.other_event.slug, "pk": world.entry_a.pk},
        ),
        (
            "other_organizer",
            "judging_documents:enterprise_zip",
            {"slug": world.other_event.slug, "enterprise_id": world.enterprise_a.pk},
        ),
        ("enterprise_a", "judging_documents:certificate_pdf", {"code": "WORLDCERT0001"}),
        ("enterprise_a", "judging_documents:portal_zip", {"slug": world.event.slug}),
        # An event whose results are not published has no objection form (its results page
        # says when they come: test_results_before_publication_say_when_without_leaking).
        ("enterprise_a", "awards_public:objection", {"slug": world.other_event.slug}),
    ]


@pytest.mark.django_db
def test_ids_of_other_enterprises_venues_and_unpublished_results_are_404():
    world = build_world()
    tested, _ = walked()
    statuses = {
        (role, name, tuple(kwargs.items())): client_for(role, world)
        .get(reverse(name, kwargs=kwargs))
        .status_code
        for role, name, kwargs in ids_of_others(world)
        if name in tested
    }
    assert {key: status for key, status in statuses.items() if status != 404} == {}


@pytest.mark.django_db
def test_results_before_publication_say_when_without_leaking():
    world = build_world()
    for role in ("anonymous", "enterprise_a", "judge_v1", "other_organizer"):
        url = reverse("awards_public:results", kwargs={"slug": world.other_event.slug})
        response = client_for(role, world).get(url)
        text = response.content.decode()
        assert response.status_code == 200
        assert "评选结果尚未公示" in text
        assert world.entry_a.title not in text
