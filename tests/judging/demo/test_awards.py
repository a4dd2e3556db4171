"""The demo event after a judged day: the award rules reproduce the model event's counts."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from events.models import Event
from judging.enums import Decision
from judging.models import Result, Showcase


def compute(slug: str) -> tuple[str, str]:
    out = io.StringIO()
    call_command("compute_awards", slug, "--wait", "60", stdout=out)
    text = out.getvalue()
    return text, re.search(r"digest ([0-9a-f]{64})", text).group(1)


@pytest.mark.django_db(transaction=True)
def test_demo_awards_reproduce_155_71_18_with_a_stable_digest(client):
    call_command("seed_demo", "--scores", stdout=io.StringIO())
    text, digest = compute("cmqa-40")
    assert "QC成果：307项，入选155项，评分不足0项" in text
    assert "质量信得过班组：113项，入选71项，评分不足0项" in text
    assert "质量品牌故事：122项，入选18项，评分不足0项" in text
    _, again = compute("cmqa-40")
    assert again == digest

    event = Event.objects.get(slug="cmqa-40")
    url = reverse("awards_public:results", args=[event.slug])
    before = client.get(url)  # before publication the page says the results are not out yet
    assert before.status_code == 200 and "评选结果尚未公示" in before.content.decode()
    call_command("publish_results", event.slug, "--days", "7", stdout=io.StringIO())
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert digest in html
    latest = Result.objects.filter(run__event=event).order_by("-run_id").first().run
    chosen = Result.objects.filter(run=latest, decision=Decision.BENCHMARK)
    assert chosen.count() == 155 + 71 + 18
    assert all(r.submission.code in html for r in chosen)
    # The 2021 report showcased "优秀交流成果代表": in the demo they are benchmarks.
    showcased = set(Showcase.objects.filter(event=event).values_list("submission_id", flat=True))
    assert len(showcased) == 9
    assert showcased <= set(chosen.values_list("submission_id", flat=True))
