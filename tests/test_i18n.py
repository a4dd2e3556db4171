"""The English catalogue: complete, compiled from the source, and served when the user picks it.

The fixtures `compiled_locale` and `english_catalogue` live in tests/conftest.py.
"""

import subprocess

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

from judging.awards.publication import publish_results
from judging.awards.services import start_award_run
from tests.conftest import LC_MESSAGES
from tests.factories import CategoryFactory, EventFactory, VenueFactory
from tests.judging.scored_event import build_scored_event

# Navigation labels of base.html as they appear between tags; none may remain in English pages.
CHINESE_NAV = [">活动</a>", ">登录</a>", "切换</button>", 'aria-label="语言"', 'aria-label="菜单"']


@pytest.fixture
def event(db):
    category = CategoryFactory(event=EventFactory(slug="cmqa-i18n"))
    VenueFactory(category=category)
    return category.event


def english(client, path):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(path)
    return response, response.content.decode()


def assert_no_chinese_nav(html):
    assert [label for label in CHINESE_NAV if label in html] == []


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_catalogue_every_message_translated_and_none_fuzzy(domain):
    """msgfmt counts untranslated and fuzzy entries; the English catalogues have neither."""
    po_file = LC_MESSAGES / f"{domain}.po"
    text = po_file.read_text(encoding="utf-8")
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "#, fuzzy" not in text
    assert "#~" not in text
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr
    assert result.stderr.strip().endswith("translated messages.")


@pytest.mark.django_db
def test_home_default_is_chinese(client, english_catalogue, event):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert ">活动</a>" in html
    assert ">登录</a>" in html
    assert "Sign in" not in html


@pytest.mark.django_db
def test_home_browser_asking_english_still_chinese(client, english_catalogue, event):
    """The browser's Accept-Language does not switch: English is chosen with the switcher."""
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="zh-CN">' in html
    assert ">登录</a>" in html


@pytest.mark.django_db
def test_home_english_cookie_english(client, english_catalogue, event):
    response, html = english(client, "/")
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "<title>Events · qcexchange</title>" in html
    assert ">Sign in</a>" in html
    assert "Grassroots Quality Management Results Exchange" in html
    assert "1 categories · 1 venues" in html
    assert_no_chinese_nav(html)


@pytest.mark.django_db
def test_set_language_switcher_english(client, english_catalogue, event):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/").content.decode()
    assert ">Sign in</a>" in html
    assert_no_chinese_nav(html)


@pytest.mark.django_db
def test_event_page_english(client, english_catalogue, event):
    response, html = english(client, event.get_absolute_url())
    assert response.status_code == 200
    assert ">Venue schedule</a>" in html
    assert ">Award results</a>" in html
    assert "Presentation + Q&A (minutes)" in html
    assert "分会场日程" not in html
    assert_no_chinese_nav(html)


@pytest.mark.django_db
def test_schedule_page_unpublished_english(client, english_catalogue, event):
    response, html = english(client, reverse("schedule:public", args=[event.slug]))
    assert response.status_code == 200
    assert '<h1 class="h4">Venue schedule' in html
    assert "Not yet published" in html
    assert 'placeholder="Find by enterprise or group"' in html
    assert "Sep 24" in html
    assert "尚未公布" not in html
    assert_no_chinese_nav(html)


@pytest.mark.django_db
def test_login_page_english(client, english_catalogue):
    response, html = english(client, reverse("login"))
    assert response.status_code == 200
    assert '<h1 class="h3 mb-3">Sign in</h1>' in html
    assert "Forgot your password?" in html
    assert "Username" in html
    assert_no_chinese_nav(html)


@pytest.mark.django_db
def test_signup_and_password_reset_pages_english(client, english_catalogue):
    _, signup = english(client, reverse("signup"))
    _, reset = english(client, reverse("password_reset"))
    assert "Enterprise sign-up" in signup
    assert "Unified social credit code" in signup
    assert "Send link" in reset
    assert_no_chinese_nav(signup)
    assert_no_chinese_nav(reset)


@pytest.mark.django_db
def test_verify_unknown_code_english(client, english_catalogue):
    response, html = english(client, reverse("judging_documents:verify", args=["NOSUCHCODE"]))
    assert response.status_code == 404
    assert "No certificate has the verification code NOSUCHCODE." in html
    assert_no_chinese_nav(html)


@pytest.mark.django_db
def test_published_results_page_english(
    client, english_catalogue, django_capture_on_commit_callbacks
):
    event = build_scored_event(slug="i18n-results", kinds=(("qc", "QC成果", 1, 4),))
    with django_capture_on_commit_callbacks(execute=True):
        start_award_run(event=event)
    publish_results(event=event, days=5)
    response, html = english(client, reverse("awards_public:results", args=[event.slug]))
    assert response.status_code == 200
    assert "<title>Public notice of award results · " in html
    assert "Computation digest (SHA-256)" in html
    assert ">Raise an objection under your name</a>" in html
    assert 'placeholder="Search enterprise, group, title or name"' in html
    assert "评选结果公示" not in html
    assert_no_chinese_nav(html)


@pytest.mark.django_db
def test_javascript_catalogue_english(client, english_catalogue):
    response, text = english(client, reverse("javascript-catalog"))
    assert response.status_code == 200
    assert "Draft saved on this device" in text
    assert "Overtime +%(time)s" in text


@pytest.mark.django_db
def test_javascript_catalogue_chinese_by_default_is_empty(client, english_catalogue):
    """In Chinese the scripts keep their source text, so the catalogue carries no English."""
    text = client.get(reverse("javascript-catalog")).content.decode()
    assert "Draft saved on this device" not in text


@pytest.mark.django_db
def test_cached_schedule_board_kept_per_language(client, settings, english_catalogue, event):
    """The public board is shared by its readers for a while, but never across languages."""
    settings.QCX_PUBLIC_CACHE_SECONDS = 15
    cache.clear()
    path = reverse("schedule:public", args=[event.slug])
    chinese = client.get(path).content.decode()
    _, english_html = english(client, path)
    assert ("尚未公布" in chinese, "Not yet published" in english_html) == (True, True)
    assert "尚未公布" not in english_html
