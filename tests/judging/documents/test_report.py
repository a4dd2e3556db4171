"""The conference report: statistics (hand-computed), charts, and the rendered PDF."""

import re
import subprocess
from decimal import Decimal

import pytest
from django.utils import translation
from pypdf import PdfReader

from events.models import PlenaryItem, ReportSection
from judging.documents import report
from judging.documents import report_services as services
from judging.models import PanelSeat, Showcase
from tests.factories import JudgeFactory
from tests.judging.documents_data import ENTERPRISE, published_event

D = Decimal


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["浙江", "江苏", "浙江", ""], [("浙江", 2), ("未填写", 1), ("江苏", 1)]),
        ([], []),
        (["乙", "甲"], [("乙", 1), ("甲", 1)]),
    ],
)
def test_count_by_orders_by_count_then_label(values, expected):
    assert report.count_by(values) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 3, D("33.3")), (2, 3, D("66.7")), (0, 0, D("0.0")), (5, 8, D("62.5"))],
)
def test_percent_rounds_half_up_to_one_decimal(part, whole, expected):
    assert report.percent(part, whole) == expected


def test_score_stats_hand_computed():
    stats = report.score_stats([D("90"), D("80"), D("85"), D("95")])
    # mean 87.5; median (85+90)/2; sample variance ((2.5²+7.5²)*2)/3 = 41.667; sd 6.455
    assert stats == report.ScoreStats(4, D("87.50"), D("87.50"), D("80.00"), D("95.00"), D("6.45"))


def test_score_stats_of_nothing_is_empty():
    assert report.score_stats([]).count == 0


def test_histogram_bands_include_the_top_score_and_a_low_band():
    bands = report.histogram([D("59.5"), D("60"), D("64.99"), D("65"), D("100")], start=60)
    assert bands == [
        ("<60", 1),
        ("60–65", 2),
        ("65–70", 1),
        ("70–75", 0),
        ("75–80", 0),
        ("80–85", 0),
        ("85–90", 0),
        ("90–95", 0),
        ("95–100", 1),
    ]


def test_bar_chart_svg_escapes_labels_and_writes_values():
    svg = report.bar_chart_svg([("浙江<省>", 3), ("江苏", 1)], title="各省份成果数")
    assert "浙江&lt;省&gt;" in svg and ">3<" in svg and "各省份成果数" in svg


def test_paragraphs_split_at_blank_lines():
    assert report.paragraphs("一是选题过大。\n继续。\n\n二是数据不足。\n\n") == [
        "一是选题过大。 继续。",
        "二是数据不足。",
    ]


@pytest.mark.django_db
def test_render_report_job_writes_a_chinese_pdf(django_capture_on_commit_callbacks):
    event, results = published_event()
    venue = results[0].venue
    PanelSeat.objects.create(
        judge=JudgeFactory(event=event, name="周建国"), venue=venue, role="chair"
    )
    PlenaryItem.objects.create(
        event=event, order=1, kind="work_report", title="2021年机械工业质量管理小组活动工作报告",
        chair="刘明", speaker="陈立新", summary="总结一年来QC小组活动开展情况。",
    )  # fmt: skip
    ReportSection.objects.create(
        event=event,
        order=1,
        title="存在的共性问题",
        body="一是选题过大。\n\n二是现状调查数据不足。",
    )
    Showcase.objects.create(
        event=event,
        submission=results[0].submission,
        order=1,
        judges_comment="数据翔实，逻辑清晰。",
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = services.render_report(event=event)
    job.refresh_from_db()
    assert job.status == "done"
    with job.output.open("rb") as handle:
        data = handle.read()
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True).stdout.decode()
    flat = text.replace("\n", "").replace(" ", "")
    for expected in [
        "总结报告",
        "机械工业第40次群众性质量管理成果交流活动",
        "2021年机械工业质量管理小组活动工作报告",
        "陈立新",
        "周建国",
        ENTERPRISE,
        "降低大型铸件热处理变形超差率",
        "存在的共性问题",
        "二是现状调查数据不足",
        "数据翔实，逻辑清晰",
        "820",  # attendance
        "91.50",  # top score
        "66.7%",  # 2 of 3 entries are benchmarks
        "黑龙江",
        "第1分会场",
    ]:
        assert expected in flat, expected
    pages = len(PdfReader(job.output.path).pages)
    assert 8 <= pages <= 20
    assert f"共{pages}页" in flat  # page numbers in the footer
    assert services.latest_report(event=event) == job


@pytest.mark.django_db
def test_report_asked_in_english_stays_chinese_and_its_job_speaks_english(
    english_catalogue, django_capture_on_commit_callbacks
):
    event, _ = published_event()
    with django_capture_on_commit_callbacks() as queued:
        with translation.override("en"):
            job = services.render_report(event=event)
    for callback in queued:  # the worker runs without the organizer's language
        callback()
    job.refresh_from_db()
    assert job.status == "done"
    assert re.fullmatch(r"Report generated \(\d+ KB\)", job.message)
    with job.output.open("rb") as handle:
        data = handle.read()
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True).stdout.decode()
    flat = text.replace("\n", "").replace(" ", "")
    assert ("总结报告" in flat, "现场型" in flat, "On-site" in text) == (True, True, False)


@pytest.mark.parametrize(
    ("values", "expected"), [([D("82.8"), D("85.02")], 75), ([D("3")], 0), ([], 0), ([None], 0)]
)
def test_axis_floor_is_a_step_below_the_minimum(values, expected):
    assert report.axis_floor(values) == expected


def test_bar_chart_svg_bars_start_at_the_baseline():
    svg = report.bar_chart_svg([("甲", 80), ("乙", 90)], width=400, baseline=70)
    # span = 400 - 170 - 70 = 160; (80-70)/(90-70) of it is 80
    assert 'width="80.0"' in svg and 'width="160.0"' in svg
