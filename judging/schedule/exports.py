"""Venue schedules out of the system: a row generator, the Excel writer, the PDF renderer."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from django.contrib.staticfiles import finders
from django.utils import timezone

from submissions.excel_writer import neutralise_sheet

HEADERS = ("抽签号", "开始", "结束", "编号", "小组名称", "企业", "题目", "课题类型", "交流方式")

_FONT_CONFIG = None


def _time(value) -> str:
    return timezone.localtime(value).strftime("%H:%M") if value else ""


def schedule_rows(board) -> Iterator[tuple]:
    """Yield one row per entry of a venue board, in running order."""
    for row in board.rows:
        sub = row.submission
        yield (
            row.assignment.draw_number,
            _time(row.assignment.starts_at),
            _time(row.assignment.ends_at),
            sub.code,
            sub.group_name,
            sub.enterprise.name,
            sub.title,
            sub.get_topic_type_display(),
            sub.get_presentation_mode_display(),
        )


def venues_workbook(boards: Iterable) -> bytes:
    """Return an xlsx with a summary sheet and one sheet per venue."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    summary = workbook.active
    summary.title = "分会场"
    summary.append(("分会场", "类别", "会议室", "日期", "成果数", "随机种子"))
    for board in boards:
        venue = board.venue
        seed = board.draws[0].seed if board.draws else ""
        summary.append(
            (venue.name, venue.category.name, venue.room, venue.day, len(board.rows), seed)
        )
        sheet = workbook.create_sheet(venue.name[:31])
        sheet.append(HEADERS)
        for row in schedule_rows(board):
            sheet.append(row)
        neutralise_sheet(sheet)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column, width in zip("ABCDEFGHI", (8, 8, 8, 10, 24, 36, 48, 10, 10), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"
    neutralise_sheet(summary)
    summary.column_dimensions["A"].width = 14
    summary.column_dimensions["C"].width = 20
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def venue_schedule_pdf(html: str) -> bytes:
    """Render the printable venue schedule (HTML) to PDF with a Chinese font."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        _FONT_CONFIG = FontConfiguration()
    stylesheet = CSS(filename=finders.find("css/schedule-print.css"), font_config=_FONT_CONFIG)
    return HTML(string=html).write_pdf(stylesheets=[stylesheet], font_config=_FONT_CONFIG)
