"""The entries workbook (design.md §4): generate its rows and write the file.

Pure code: no ORM, no request, no settings; openpyxl is imported inside write_workbook.
Exports follow pretix's shape: row generators (entry_rows, summary_rows) beside the
writer. Text that a spreadsheet would run as a formula is stored as literal text.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from .excel import format_members
from .excel_template import (
    CATEGORY_LABELS,
    COLUMN_BY_KEY,
    COLUMNS,
    EXAMPLE_MARK,
    HELP_SHEET,
    NO_RECOMMENDER,
    SHEET,
    SUMMARY_SHEET,
    TOPIC_TYPE_LABELS,
    EntryRow,
    MemberRow,
    SummaryRow,
    _letter,
)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# Generating ---------------------------------------------------------------------------


def header_row() -> list[str]:
    return [column.label for column in COLUMNS]


def entry_values(entry: EntryRow) -> list[Any]:
    """Return one entry as plain cell values in template column order."""
    return [
        CATEGORY_LABELS.get(entry.category, entry.category),
        entry.enterprise,
        entry.credit_code,
        entry.recommender,
        entry.group,
        entry.title,
        TOPIC_TYPE_LABELS.get(entry.topic_type, entry.topic_type),
        entry.group_reg_no,
        entry.topic_reg_no,
        entry.start,
        entry.end,
        format_members(entry.members),
        entry.contact,
        entry.phone,
        entry.email,
    ]


def entry_rows(entries: Iterable[EntryRow]) -> Iterator[list[Any]]:
    """Yield the header row, then one row of plain values per entry."""
    yield header_row()
    for entry in entries:
        yield entry_values(entry)


def summarise_by_recommender(entries: Iterable[EntryRow]) -> list[SummaryRow]:
    """Count entries per recommending body and category (the 推荐汇总表)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    enterprises: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        body = entry.recommender or NO_RECOMMENDER
        counts[body][entry.category] += 1
        enterprises[body].add(entry.enterprise)
    return [
        SummaryRow(
            recommender=body,
            counts=tuple(counts[body][key] for key in CATEGORY_LABELS),
            enterprises=len(enterprises[body]),
        )
        for body in sorted(counts, key=lambda name: (name == NO_RECOMMENDER, name))
    ]


def summary_rows(summary: Sequence[SummaryRow]) -> Iterator[list[Any]]:
    """Yield the 推荐汇总表 as plain values: header, one row per body, the total."""
    yield ["序号", "推荐单位", *CATEGORY_LABELS.values(), "合计", "企业数"]
    for number, row in enumerate(summary, start=1):
        yield [number, row.recommender, *row.counts, row.total, row.enterprises]
    totals = [sum(row.counts[i] for row in summary) for i in range(len(CATEGORY_LABELS))]
    yield ["", "合计", *totals, sum(totals), sum(row.enterprises for row in summary)]


EXAMPLE_ENTRY = EntryRow(
    category="qc",
    enterprise=f"{EXAMPLE_MARK}杭州某某机械股份有限公司",
    credit_code="91330106MA2AB1C2XM",
    recommender="浙江省机械工业质量管理协会",
    group="精益求精QC小组",
    title="降低缸体加工不良率",
    topic_type="onsite",
    group_reg_no="QC-2021-018",
    topic_reg_no="KT-2021-045",
    start=dt.date(2021, 1, 4),
    end=dt.date(2021, 6, 30),
    members=(
        MemberRow("张伟", "leader", "车间主任"),
        MemberRow("李娜", "deputy", "工艺员"),
        MemberRow("王强", "member", "操作工"),
    ),
    contact="张伟",
    phone="0571-88886666",
    email="zhangwei@example.com",
)


# Writing ------------------------------------------------------------------------------


def neutralise(value: Any) -> tuple[Any, bool]:
    """Return the value and whether it must be stored as literal text (not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return value, True
    return value, False


def neutralise_sheet(sheet) -> None:
    """Store every formula-looking text of a filled openpyxl sheet as literal text."""
    for row in sheet.iter_rows():
        for cell in row:
            value, as_text = neutralise(cell.value)
            if as_text:
                cell.data_type = "s"
                cell.quotePrefix = True


def styled_row(ws, values: Sequence[Any], *, header: bool = False) -> list:
    """Return write-only cells of one row; formula-looking text is kept as literal text."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    cells = []
    for value in values:
        value, as_text = neutralise(value)
        cell = WriteOnlyCell(ws, value=None if value == "" else value)
        if as_text:
            cell.data_type = "s"
            cell.quotePrefix = True
        if header:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(horizontal="center")
        cells.append(cell)
    return cells


def append_sheet(workbook, name: str, rows: Iterable[Sequence[Any]], *, widths=()):
    """Add a sheet to a write-only workbook: the first row as the header, then the rest."""
    sheet = workbook.create_sheet(name)
    for index, width in enumerate(widths):
        sheet.column_dimensions[_letter(index)].width = width
    sheet.freeze_panes = "A2"
    rows = iter(rows)
    header = next(rows, None)
    if header is not None:
        sheet.append(styled_row(sheet, header, header=True))
    for values in rows:
        sheet.append(styled_row(sheet, values))
    return sheet


def list_validation(choices: Iterable[str], label: str, cells: str):
    """Return a dropdown of `choices` over `cells` (e.g. A2:A1001) that refuses other text."""
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="输入无效",
        error=f"请从下拉列表中选择{label}",
    )
    validation.add(cells)
    return validation


def write_workbook(
    out: str | IO[bytes],
    entries: Iterable[EntryRow],
    *,
    example: bool = False,
    extra_sheets: Sequence[tuple[str, Iterable[Sequence[Any]], Sequence[int]]] = (),
) -> int:
    """Write the entries template with the given entries; return how many were written.

    One pass over `entries` (a generator is fine): the 推荐汇总表 is counted while the
    rows stream out. Text that a spreadsheet would run as a formula (= + - @) is stored
    as a quoted text cell, so it is shown and re-imported unchanged but never evaluated.
    `extra_sheets` (name, rows with their header first, column widths) follow the entries,
    e.g. the nominations of the same event.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[_letter(index)].width = column.width
    sheet.freeze_panes = "A2"

    sheet.append(styled_row(sheet, header_row(), header=True))
    collected: list[EntryRow] = []
    for entry in entries:
        sheet.append(styled_row(sheet, entry_values(entry)))
        collected.append(entry)
    count = len(collected)
    if example and count == 0:
        sheet.append(styled_row(sheet, entry_values(EXAMPLE_ENTRY)))

    last = max(1001, count + 501)
    lists = {
        "category": CATEGORY_LABELS.values(),
        "topic_type": TOPIC_TYPE_LABELS.values(),
    }
    for key, choices in lists.items():
        letter = _letter(list(COLUMN_BY_KEY).index(key))
        sheet.data_validations.append(
            list_validation(choices, COLUMN_BY_KEY[key].label, f"{letter}2:{letter}{last}")
        )

    for name, rows, widths in extra_sheets:
        append_sheet(workbook, name, rows, widths=widths)

    summary = summary_rows(summarise_by_recommender(collected))
    append_sheet(workbook, SUMMARY_SHEET, summary, widths=[8, 34])

    help_sheet = append_sheet(
        workbook,
        HELP_SHEET,
        [
            ["表头", "必填", "填写说明"],
            *(
                [f"{column.label} [{column.alias}]", "是" if column.required else "", column.help]
                for column in COLUMNS
            ),
            [],
            [
                f"企业名称以“{EXAMPLE_MARK}”开头的行是示例，导入时忽略；"
                "每行一项成果，从第2行开始填写。"
            ],
        ],
        widths=[20, 10, 70],
    )
    help_sheet.freeze_panes = None
    workbook.save(out)
    return count
