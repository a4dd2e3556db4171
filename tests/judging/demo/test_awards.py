"""The demo event after a judged day: the award rules reproduce the model event's counts;
the 40-year honours are decided in the same run and published with the entries."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from events.enums import CategoryKind
from events.models import Event
from judging.awards.computing import canonical_digest, compute
from judging.awards.selectors import load_event_input
from judging.enums import Decision
from judging.models import Result, Showcase

# The digest of the entry categories' results: adding the 40-year honours left it as it was
# (8175d30d…e573); it moved once since, when the venue spread stopped ordering enterprises by
# the text of their database ids (the same demo gave other venues in a database whose ids had
# run on). It must be the same in any database.
ENTRIES_DIGEST = "2f43782748b083704998dc956f1a7b60187bc57a9f4367f8e8debca5781ab61e"


def entries_digest(event) -> str:
    """Return the digest a run of the entry categories alone would have."""
    data = load_event_input(event)
    nominations = CategoryKind.nominations()
    data.categories = [c for c in data.categories if c.kind not in nominations]
    kept = {c.pk for c in data.categories}
    data.entries = [e for e in data.entries if e.category_id in kept]
    return canonical_digest(data, compute(data))


def run_awards(slug: str) -> tuple[str, str]:
    out = io.StringIO()
    call_command("compute_awards", slug, "--wait", "60", stdout=out)
    text = out.getvalue()
    return text, re.search(r"digest ([0-9a-f]{64})", text).group(1)


@pytest.mark.django_db(transaction=True)
def test_demo_awards_reproduce_155_71_18_with_a_stable_digest(client):
    call_command("seed_demo", "--scores", stdout=io.StringIO())
    text, digest = run_awards("cmqa-40")
    assert "QC成果：307项，入选155项，评分不足0项" in text
    assert "质量信得过班组：113项，入选71项，评分不足0项" in text
    assert "质量品牌故事：122项，入选18项，评分不足0项" in text
    assert "40年优秀组织单位：20项，入选12项，评分不足0项" in text
    assert "40年优秀个人：30项，入选18项，评分不足0项" in text
    _, again = run_awards("cmqa-40")
    assert again == digest

    event = Event.objects.get(slug="cmqa-40")
    assert entries_digest(event) == ENTRIES_DIGEST
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
    by_prefix = {}
    for code in chosen.values_list("submission__category__code_prefix", flat=True):
        by_prefix[code] = by_prefix.get(code, 0) + 1
    assert by_prefix == {"QC": 155, "TD": 71, "PP": 18, "ZZ": 12, "GR": 18}
    assert all(r.submission.code in html for r in chosen)
    honoured = chosen.filter(submission__category__code_prefix__in=["ZZ", "GR"])
    assert {r.valid_cards for r in honoured} == {5}  # each dossier read by its five experts
    chosen = chosen.exclude(pk__in=honoured)
    # The 2021 report showcased "优秀交流成果代表": in the demo they are benchmarks.
    showcased = set(Showcase.objects.filter(event=event).values_list("submission_id", flat=True))
    assert len(showcased) == 9
    assert showcased <= set(chosen.values_list("submission_id", flat=True))
