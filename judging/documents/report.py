"""The conference report: statistics, charts with Chinese labels, and the PDF.

The statistics and charts are plain functions of plain values (tested without a database);
`render_report_pdf` turns a context dict into a PDF with WeasyPrint, sharing the process's
font configuration with the certificates.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import escape

TWO = Decimal("0.01")
ONE = Decimal("0.1")
CHART_COLOURS = ("#1f5fa8", "#c0392b", "#2e8b57", "#d68910", "#7d3c98", "#148f77")
# Presentation attributes, not CSS classes: WeasyPrint does not apply the document's
# stylesheet inside SVG. One CJK face for the whole report keeps it small.
SVG_FONT = 'font-family="Noto Serif CJK SC, Noto Sans CJK SC, serif" fill="#333"'


def _svg_open(width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" {SVG_FONT}>'
    )


@dataclass(frozen=True)
class ScoreStats:
    count: int
    mean: Decimal | None
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    stdev: Decimal | None


def count_by(values: Iterable[str], *, blank: str = "未填写") -> list[tuple[str, int]]:
    """Return (label, count) pairs, most frequent first, ties by label."""
    counts = Counter((value or blank) for value in values)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def percent(part: int, whole: int) -> Decimal:
    """Return part/whole in percent with one decimal, half up; 0 when whole is 0."""
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE, rounding=ROUND_HALF_UP)


def score_stats(scores: Sequence[Decimal]) -> ScoreStats:
    """Return count, mean, median, min, max and sample standard deviation (2 decimals)."""
    values = [Decimal(s) for s in scores if s is not None]
    if not values:
        return ScoreStats(0, None, None, None, None, None)

    def q(value) -> Decimal:
        return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)

    stdev = q(statistics.stdev(values)) if len(values) > 1 else Decimal("0.00")
    return ScoreStats(
        count=len(values),
        mean=q(sum(values) / len(values)),
        median=q(statistics.median(values)),
        minimum=q(min(values)),
        maximum=q(max(values)),
        stdev=stdev,
    )


def histogram(
    scores: Sequence[Decimal], *, start: int = 60, stop: int = 100, width: int = 5
) -> list[tuple[str, int]]:
    """Count scores in bands [start, start+width) … up to stop; the last band includes stop.

    Scores below start fall in a first band labelled “<start”.
    """
    edges = list(range(start, stop, width))
    labels = [f"<{start}"] + [f"{low}–{min(low + width, stop)}" for low in edges]
    counts = [0] * len(labels)
    for score in scores:
        if score is None:
            continue
        value = Decimal(score)
        if value < start:
            counts[0] += 1
            continue
        index = min(int((value - start) // width), len(edges) - 1)
        counts[index + 1] += 1
    if counts[0] == 0:
        labels, counts = labels[1:], counts[1:]
    return list(zip(labels, counts, strict=True))


def bar_chart_svg(
    items: Sequence[tuple[str, int | Decimal]],
    *,
    title: str = "",
    width: int = 640,
    bar_height: int = 22,
    colour: str = CHART_COLOURS[0],
    unit: str = "",
    baseline: float = 0,
) -> str:
    """Return a horizontal bar chart as SVG markup; labels in Chinese are plain SVG text.

    Bars start at `baseline` (e.g. 70 for mean scores, so that differences show); the axis
    value is printed at the left end when it is not zero.
    """
    label_width, top, right = 170, 30 if title else 8, 70
    height = top + len(items) * (bar_height + 8) + 8
    peak = max((float(value) for _, value in items), default=0)
    scale = (peak - baseline) or 1
    span = width - label_width - right
    parts = [_svg_open(width, height)]
    if title:
        parts.append(f'<text x="0" y="18" font-size="14">{escape(title)}</text>')
    for row, (label, value) in enumerate(items):
        y = top + row * (bar_height + 8)
        length = max(1.0, span * (float(value) - baseline) / scale) if value else 0
        text = label if len(label) <= 14 else label[:13] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.72:.1f}" text-anchor="end" '
            f'font-size="12">{escape(text)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{colour}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height * 0.72:.1f}" '
            f'font-size="11">{value}{escape(unit)}</text>'
        )
    if baseline:
        parts.append(f'<text x="{label_width}" y="{height - 1}" font-size="10">{baseline:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def axis_floor(values, step: int = 5) -> int:
    """Return the multiple of `step` a little below the smallest value (0 when none)."""
    present = [float(v) for v in values if v is not None]
    return 0 if not present else max(0, int(min(present) // step) * step - step)


def column_chart_svg(
    items: Sequence[tuple[str, int]],
    *,
    title: str = "",
    width: int = 640,
    height: int = 220,
    colour: str = CHART_COLOURS[0],
    x_label: str = "",
    y_label: str = "",
) -> str:
    """Return a vertical column chart (e.g. a score histogram) as SVG markup."""
    left, bottom, top = 44, 40, 30 if title else 10
    plot_height = height - top - bottom
    peak = max((value for _, value in items), default=0) or 1
    slot = (width - left - 10) / max(1, len(items))
    parts = [_svg_open(width, height)]
    if title:
        parts.append(f'<text x="0" y="18" font-size="14">{escape(title)}</text>')
    base = top + plot_height
    parts.append(
        f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#444" '
        'stroke-width="1"/>'
    )
    for index, (label, value) in enumerate(items):
        x = left + index * slot + slot * 0.15
        bar = plot_height * value / peak
        parts.append(
            f'<rect x="{x:.1f}" y="{base - bar:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{bar:.1f}" fill="{colour}"/>'
            f'<text x="{x + slot * 0.35:.1f}" y="{base - bar - 4:.1f}" text-anchor="middle" '
            f'font-size="11">{value}</text>'
            f'<text x="{x + slot * 0.35:.1f}" y="{base + 16}" text-anchor="middle" '
            f'font-size="12">{escape(label)}</text>'
        )
    if x_label:
        parts.append(
            f'<text x="{(width + left) / 2:.0f}" y="{height - 4}" text-anchor="middle" '
            f'font-size="12">{escape(x_label)}</text>'
        )
    if y_label:
        parts.append(f'<text x="0" y="{top + 12}" font-size="12">{escape(y_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def paragraphs(text: str) -> list[str]:
    """Split organizer-written text into paragraphs at blank lines."""
    blocks = [" ".join(line.strip() for line in block.splitlines()) for block in text.split("\n\n")]
    return [block for block in blocks if block.strip()]


def render_report_pdf(context: dict) -> bytes:
    """Render the report template with a context into a PDF."""
    from django.template.loader import render_to_string
    from weasyprint import CSS, HTML

    from judging.documents.certificates import FONT_FAMILY, font_config

    html = render_to_string("judging/report/report.html", context)
    css = render_to_string(
        "judging/report/report.css", {"font_family": FONT_FAMILY, "event": context["event"]}
    )
    pdf = HTML(string=html, base_url="/").write_pdf(
        stylesheets=[CSS(string=css, font_config=font_config())], font_config=font_config()
    )
    return compact_pdf(pdf)


def compact_pdf(pdf: bytes) -> bytes:
    """Return the PDF with its CJK fonts cut down to the glyphs used."""
    import io

    import pikepdf

    from judging.documents.certificates import compact_fonts

    with pikepdf.open(io.BytesIO(pdf)) as document:
        compact_fonts(document)
        out = io.BytesIO()
        document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()
