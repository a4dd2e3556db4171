"""The fairness report's pictures: small SVG charts drawn on the server.

Pure code: numbers and a title in, SVG text out. No ORM, no settings, no request.
"""

from __future__ import annotations

import math
from decimal import Decimal
from html import escape

from judging.scoring import panel_statistics


def histogram_svg(scores: list[Decimal], *, title: str, width: int = 420, height: int = 180) -> str:
    """Return an SVG histogram of scores in bins of two points."""
    if not scores:
        return ""
    low = math.floor(float(min(scores)) / 2) * 2
    last = math.floor(float(max(scores)) / 2) * 2
    bins = list(range(low, last + 1, 2))
    counts = [sum(1 for s in scores if b <= s < b + 2) for b in bins]
    top = max(counts) or 1
    pad, base = 30, height - 25
    bar_w = (width - pad - 10) / len(bins)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad}" y1="{base}" x2="{width - 5}" y2="{base}" stroke="#555"/>',
    ]
    for i, (b, n) in enumerate(zip(bins, counts, strict=True)):
        h = (base - 15) * n / top
        x = pad + i * bar_w
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{base - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
            f'fill="#0d6efd"><title>{b}–{b + 2}: {n}</title></rect>'
        )
        if n:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{base - h - 2:.1f}" font-size="10" '
                f'text-anchor="middle">{n}</text>'
            )
        if i % max(1, len(bins) // 8) == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{base + 14}" font-size="10" text-anchor="start">{b}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def leniency_svg(rows: list[panel_statistics.Leniency], *, title: str, width: int = 420) -> str:
    """Return an SVG bar chart of each judge's mean deviation from the rest of the panel."""
    if not rows:
        return ""
    row_h, label_w = 20, 60
    height = row_h * len(rows) + 20
    span = max(1.0, max(abs(float(r.mean_deviation)) for r in rows))
    mid = label_w + (width - label_w - 10) / 2
    scale = (width - label_w - 10) / 2 / span
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{mid:.1f}" y1="0" x2="{mid:.1f}" y2="{height - 15}" stroke="#555"/>',
    ]
    for i, r in enumerate(rows):
        y = 5 + i * row_h
        dev = float(r.mean_deviation)
        x = mid if dev >= 0 else mid + dev * scale
        colour = "#dc3545" if r.sharp else ("#198754" if dev >= 0 else "#6c757d")
        parts.append(f'<text x="0" y="{y + 12}" font-size="11">{escape(r.judge)}</text>')
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{abs(dev) * scale:.1f}" height="{row_h - 6}" '
            f'fill="{colour}"><title>{escape(r.judge)}: {r.mean_deviation:+.2f}（{r.count}）</title></rect>'
        )
    parts.append(
        f'<text x="{mid:.1f}" y="{height - 3}" font-size="10" text-anchor="middle">0</text></svg>'
    )
    return "".join(parts)
