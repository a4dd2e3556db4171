"""The conference report's honours: a list per honour category after the benchmark lists."""

import pytest
from django.template.loader import render_to_string

from judging.awards.publication import publish_results
from judging.documents import report_services as services
from tests.judging.honours_data import HONOUR

pytestmark = pytest.mark.django_db


def test_report_lists_the_honoured_per_honour_category(honours):
    event, category, _ = honours
    publish_results(event=event)
    context = services.report_context(event=event)
    [honour] = context["results"]["honours"]
    assert honour["category"] == category
    assert honour["rows"] == [
        {"name": "张伟", "organization": "中国第一重型机械股份有限公司", "position": "质量管理部部长", "recommender": "黑龙江省机械工业联合会"},
        {"name": "李娜", "organization": "杭州汽轮动力集团股份有限公司", "position": "QC小组组长", "recommender": "浙江省机械工业联合会"},
        {"name": "王芳", "organization": "徐工集团工程机械股份有限公司", "position": "总装车间主任", "recommender": "江苏省机械工业联合会"},
    ]  # fmt: skip
    assert context["results"]["total_benchmarks"] == 0  # persons are no benchmark entries


def test_report_html_has_the_honours_section_after_the_benchmark_lists(honours):
    event, _, _ = honours
    publish_results(event=event)
    html = render_to_string("judging/report/report.html", services.report_context(event=event))
    benchmarks = html.index('<section class="chapter" id="benchmarks">')
    section = html.index('<section class="chapter" id="honours">')
    showcase = html.index('<section class="chapter" id="showcase">')
    assert benchmarks < section < showcase
    assert "张伟" not in html[benchmarks:section]  # not listed again as a benchmark entry
    honours_html = html[section:showcase]
    assert "<h2>七、荣誉名单</h2>" in honours_html
    assert f"<h3>{HONOUR}（3 名）</h3>" in honours_html
    assert (
        "<td>张伟</td><td>中国第一重型机械股份有限公司</td><td>质量管理部部长</td>"
        "<td>黑龙江省机械工业联合会</td>"
    ) in honours_html
    assert "刘洋" not in honours_html
    assert "<h2>八、大会展示成果</h2>" in html[showcase:]
    assert '<li><a href="#honours">七、荣誉名单</a></li>' in html


def test_report_without_honour_categories_keeps_its_chapters():
    from tests.judging.documents_data import published_event

    event, _ = published_event()
    html = render_to_string("judging/report/report.html", services.report_context(event=event))
    assert 'id="honours"' not in html
    assert "<h2>七、大会展示成果</h2>" in html


def test_report_counts_the_nominations_apart_from_the_teams_results(honours):
    from submissions.models import Submission

    event, category, _ = honours
    nominations = Submission.objects.filter(
        category=category, status__in=services.PARTICIPATING
    ).count()
    context = services.report_context(event=event)
    participation = context["participation"]
    assert nominations and participation["nominations"] == nominations
    assert category.name not in dict(participation["by_category"])
    html = render_to_string("judging/report/report.html", context)
    assert f"<tr><th>荣誉推荐材料</th><td>{nominations} 份</td></tr>" in html
    assert f"另有荣誉推荐材料 {nominations} 份" in html
