"""The admin is Chinese throughout in zh-hans: Django's widget texts and every column header."""

import contextlib
import json
import re
import shutil

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.utils import translation

from tests.conftest import LC_MESSAGES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PROJECT_APPS = ("events", "submissions", "judging")


@pytest.fixture
def chinese_catalogue(settings, tmp_path):
    root = tmp_path / "locale"
    shutil.copytree(LC_MESSAGES.parent.parent, root)
    with contextlib.chdir(tmp_path), override_settings(LOCALE_PATHS=[root]):
        call_command("compilemessages", locale=["zh_Hans"], verbosity=0)
    settings.LOCALE_PATHS = [root]


def test_admin_widgets_speak_chinese(client, chinese_catalogue):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    catalogue = client.get("/admin/jsi18n/").content.decode()
    for text in (
        "选中要选择的%s，然后点击“选择”箭头按钮。",
        "选中要删除的%s，然后点击“删除”箭头按钮。",
    ):
        assert json.dumps(text) in catalogue  # the catalogue is JSON with \u escapes


def test_every_column_header_of_our_admin_is_chinese(chinese_catalogue):
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    english = []
    with translation.override("zh-hans"):
        for model, model_admin in admin.site._registry.items():
            if model._meta.app_label not in (*PROJECT_APPS, "axes"):
                continue
            for name in model_admin.get_list_display(request):
                label = str(label_for_field(name, model, model_admin))
                if re.search(r"[A-Za-z]{3,}", label.replace("IP", "")):
                    english.append(f"{model._meta.label}.{name}: {label}")
    assert english == []
