"""The public honour lists: each honour category's own page, the results page and the event
page; before publication the friendly page the results use, and the shared cache renewed."""

import pytest
from django.urls import reverse

from judging.awards.publication import publish_results
from judging.awards.services import create_override
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shared_for_a_minute(settings):
    settings.QCX_PUBLIC_CACHE_SECONDS = 60


def page(client, event, kind="person"):
    return client.get(reverse("awards_honours", args=[event.slug, kind]))


def test_before_publication_the_honour_page_says_the_results_are_not_published(client, honours):
    event, _, _ = honours
    response = page(client, event)
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="results-pending"' in text and "评选结果尚未公示" in text
    assert not any(name in text for name in ("张伟", "李娜", "王芳"))


def test_after_publication_the_page_lists_the_honoured_persons(client, honours):
    event, _, _ = honours
    before = page(client, event)
    publish_results(event=event)
    response = page(client, event)
    text = response.content.decode()
    assert response.status_code == 200
    assert response["ETag"] != before["ETag"]  # the shared page was renewed by publishing
    assert "2021年机械工业群众性质量管理活动优秀个人" in text
    rows = [
        "<td>张伟</td><td>中国第一重型机械股份有限公司</td><td>质量管理部部长</td><td>黑龙江省机械工业联合会</td>",
        "<td>李娜</td><td>杭州汽轮动力集团股份有限公司</td><td>QC小组组长</td><td>浙江省机械工业联合会</td>",
        "<td>王芳</td><td>徐工集团工程机械股份有限公司</td><td>总装车间主任</td><td>江苏省机械工业联合会</td>",
    ]  # fmt: skip
    assert all(row in text for row in rows)
    assert text.index("张伟") < text.index("李娜") < text.index("王芳")  # in rank order
    assert not any(name in text for name in ("刘洋", "陈静", "杨帆"))


def test_an_override_changes_the_shared_honour_page(client, honours):
    event, category, _ = honours
    publish_results(event=event)
    assert "刘洋" not in page(client, event).content.decode()
    create_override(
        event=event,
        submission=category.submissions.get(nominee_name="刘洋"),
        decision="benchmark",
        reason="评审委员会复核后增补",
        user=UserFactory(),
    )
    assert "<td>刘洋</td>" in page(client, event).content.decode()


def test_kinds_that_are_no_honour_of_the_event_are_not_found(client, honours):
    event, _, _ = honours
    publish_results(event=event)
    assert page(client, event, "craftsman").status_code == 404  # no such category here
    assert page(client, event, "qc").status_code == 404  # entries, not an honour


def test_results_page_lists_the_honoured_as_persons_with_a_link(client, honours):
    event, _, _ = honours
    publish_results(event=event)
    text = client.get(reverse("awards_public:results", args=[event.slug])).content.decode()
    assert text.count('class="list-group-item honour-row"') == 3
    assert '<div class="fw-semibold">张伟</div>' in text
    assert "中国第一重型机械股份有限公司 · 质量管理部部长" in text
    assert "推荐单位：黑龙江省机械工业联合会" in text
    assert "张伟同志事迹材料" not in text  # a nomination's title is no entry title
    assert reverse("awards_honours", args=[event.slug, "person"]) in text


def test_results_search_finds_a_person_by_name(client, honours):
    event, _, _ = honours
    publish_results(event=event)
    url = reverse("awards_public:results", args=[event.slug])
    text = client.get(url, {"q": "李娜"}).content.decode()
    assert text.count('class="list-group-item honour-row"') == 1


def test_event_page_links_each_honour_list(client, honours):
    event, _, _ = honours
    text = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert f'href="/e/{event.slug}/honours/person/">优秀个人名单</a>' in text
