"""Every stage of an empty event's control room says what comes first, and where."""

import re

import pytest

from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("page", "says", "link"),
    [
        ("entries/", "还没有申报成果", "/orga/new-41/setup/"),
        ("venues/", "本活动还没有分会场", "/orga/new-41/setup/"),
        ("", "本活动还没有分会场，现场评审无从开始", "/orga/new-41/setup/"),
        ("awards/", "还没有评选计算", "/orga/new-41/"),
        ("documents/", "证书在评选结果公示后生成", "/orga/new-41/awards/"),
    ],
)
def test_empty_stage_names_the_next_step(client, page, says, link):
    event = EventFactory(slug="new-41")
    user = UserFactory()
    event.staff.add(user)
    client.force_login(user)
    text = client.get(f"/orga/new-41/{page}").content.decode()
    steps = re.findall(r"data-next-step>(.*?)</div>", text, re.S)
    assert len(steps) == 1
    assert says in steps[0] and f'href="{link}"' in steps[0]
