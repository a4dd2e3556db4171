"""Messages a job stores untranslated are shown in the reader's language."""

import pytest
from django.template import Context, Template
from django.utils import translation

from qcexchange.queueing import BROKER_DOWN_MESSAGE

TEMPLATE = Template("{% load stored_text %}{{ message|stored_text }}")


def shown(message: str, language: str) -> str:
    with translation.override(language):
        return TEMPLATE.render(Context({"message": message}))


def test_the_broker_down_message_reads_in_the_readers_language(english_catalogue):
    assert shown(BROKER_DOWN_MESSAGE, "en").startswith("The task queue (Redis) is unavailable")
    assert shown(BROKER_DOWN_MESSAGE, "zh-hans") == BROKER_DOWN_MESSAGE


@pytest.mark.parametrize("message", ["第3块渲染失败：字体缺失", "", "Worker lost"])
def test_other_stored_text_is_shown_as_it_is(english_catalogue, message):
    assert shown(message, "en") == message
