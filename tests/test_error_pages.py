"""Our own 403, 404 and 500 pages, in Chinese and in English, inside the site's frame."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_404_is_ours_in_chinese(client):
    response = client.get("/no-such-page/")
    text = response.content.decode()
    assert response.status_code == 404
    assert 'data-status="404"' in text and "页面不存在" in text
    assert 'class="navbar' in text  # extends base.html


def test_404_in_english(client, english_catalogue):
    client.cookies["django_language"] = "en"
    text = client.get("/no-such-page/").content.decode()
    assert "Page not found" in text and "页面不存在" not in text


def test_403_is_ours_in_both_languages(english_catalogue):
    request = RequestFactory().get("/orga/x/")
    request.user = AnonymousUser()
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()
    with translation.override("en"):
        response = defaults.permission_denied(request, PermissionDenied())
    assert "Permission denied" in response.content.decode()


def test_500_renders_without_a_request_context(english_catalogue):
    request = RequestFactory().get("/")  # server_error gives the template no request at all
    response = defaults.server_error(request)
    text = response.content.decode()
    assert response.status_code == 500
    assert 'data-status="500"' in text and "服务器出错" in text and 'class="navbar' in text
    with translation.override("en"):
        assert "Server error" in defaults.server_error(request).content.decode()
