"""The results workbook: row generators per category and per venue, and an xlsx writer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from events.models import Category
from judging.awards.selectors import active_overrides
from judging.enums import Decision
from judging.models import AwardRun, Result
from judging.scoring.totals import MARK_LABELS, Mark
from submissions.models import Submission

SHORT_MARK = {
    Mark.COUNTED: "",
    Mark.DROPPED_HIGH: "（去高）",
    Mark.DROPPED_LOW: "（去低）",
    Mark.RECUSED: "回避",
    Mark.UNSUBMITTED: "未提交",
}


def _card_cell(card: dict) -> str:
    mark = Mark(card["mark"])
    if card["total"] is None:
        return SHORT_MARK[mark]
    return f"{card['total']}{SHORT_MARK[mark]}"


def load_results(run: AwardRun) -> list[Result]:
    return list(
        Result.objects.filter(run=run)
        .select_related(
            "submission__enterprise", "submission__category", "submission__recommender", "venue"
        )
        .order_by("submission__category__order", "rank_in_category", "submission__code")
    )


def _who(category: Category | None) -> tuple[list[str], Callable[[Submission], list]]:
    """Return the columns naming what a category's rows are, and how to fill them.

    Entries name their enterprise, group and title; nominations their nominee: a person
    with organization, position and recommender, or an organization with its recommender.
    """

    def recommender(s: Submission) -> str:
        return s.recommender.name if s.recommender else ""

    if category is not None and category.nominates_person:
        return ["姓名", "单位", "职务", "推荐单位"], lambda s: [
            s.nominee_name, s.enterprise.name, s.nominee_position, recommender(s)
        ]  # fmt: skip
    if category is not None and category.is_nomination:
        return ["单位", "推荐单位"], lambda s: [s.enterprise.name, recommender(s)]
    return ["企业", "小组/班组", "题目"], lambda s: [s.enterprise.name, s.group_name, s.title]


def category_rows(
    results: list[Result], overrides: dict, category: Category | None = None
) -> Iterator[list]:
    """Yield the header and one row per entry of a category, in category rank order."""
    width = max((len(r.cards) for r in results), default=0)
    columns, who = _who(category)
    yield [
        "类别名次", "分会场", "分会场名次", "编号", *columns, "最终得分",
        *[f"评委{i}" for i in range(1, width + 1)],
        "结果", "等级", "理由", "评审委员会审定", "审定理由",
    ]  # fmt: skip
    decisions = dict(Decision.choices)
    for r in results:
        s = r.submission
        cards = [f"{c['judge']} {_card_cell(c)}".strip() for c in r.cards]
        override = overrides.get(s.pk)
        yield [
            r.rank_in_category,
            r.venue.name if r.venue else "",
            r.rank_in_venue,
            s.code,
            *who(s),
            float(r.final_score) if r.final_score is not None else None,
            *cards,
            *[""] * (width - len(cards)),
            str(decisions.get(r.decision, r.decision)),
            r.tier,
            r.reason,
            str(decisions.get(override.decision, "")) if override else "",
            override.reason if override else "",
        ]


def venue_matrix_rows(results: list[Result]) -> Iterator[list]:
    """Yield the judge matrix of one venue: entries in drawn order, one column per judge."""
    judges = sorted({c["judge"] for r in results for c in r.cards})
    nominations = any(r.submission.category.is_nomination for r in results)
    yield [
        "抽签号",
        "编号",
        "推荐对象" if nominations else "题目",
        *judges,
        "最终得分",
        "分会场名次",
    ]
    for r in sorted(results, key=lambda r: (r.draw_number or 0, r.submission.code)):
        by_judge = {c["judge"]: _card_cell(c) for c in r.cards}
        s = r.submission
        yield [
            r.draw_number,
            s.code,
            s.nominee if s.category.is_nomination else s.title,
            *[by_judge.get(j, "") for j in judges],
            float(r.final_score) if r.final_score is not None else None,
            r.rank_in_venue,
        ]


RULE_COLUMNS = (
    "评选规则", "类别", "规则", "分数线", "比例（%）", "固定名额", "名额范围", "名额取整",
    "边界并列", "去高去低最少评分数", "计入排名最少评分数",
)  # fmt: skip


def rules_rows(categories: list[Category]) -> Iterator[list]:
    """Yield each category's award rule as the run applied it, one row under a header,
    so that a reader can check the decisions from the workbook alone."""
    yield list(RULE_COLUMNS)
    for c in categories:
        yield [
            "", c.name, str(c.get_award_rule_display()),
            float(c.threshold) if c.threshold is not None else None,
            float(c.quota_percent) if c.quota_percent is not None else None,
            c.quota_count, str(c.get_quota_scope_display()), str(c.get_quota_rounding_display()),
            str(c.get_tie_rule_display()), c.trim_min_cards, c.min_valid_cards,
        ]  # fmt: skip


def _sheet_title(text: str, used: set[str]) -> str:
    title = "".join(ch for ch in text if ch not in "[]:*?/\\")[:31] or "Sheet"
    base, n = title, 2
    while title in used:
        title = f"{base[:28]}-{n}"
        n += 1
    used.add(title)
    return title


def write_results_workbook(run: AwardRun, fh) -> None:
    """Write the results of a run as xlsx to a binary file."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from submissions.excel_writer import neutralise_sheet

    results = load_results(run)
    overrides = active_overrides(run.event)
    by_category: dict[int, list[Result]] = defaultdict(list)
    by_venue: dict[int, list[Result]] = defaultdict(list)
    categories, venues = {}, {}
    for r in results:
        by_category[r.submission.category_id].append(r)
        categories[r.submission.category_id] = r.submission.category
        if r.venue_id:
            by_venue[r.venue_id].append(r)
            venues[r.venue_id] = r.venue
    wb = Workbook(write_only=False)
    wb.remove(wb.active)
    used: set[str] = set()
    info = wb.create_sheet(_sheet_title("说明", used))
    info.append(["活动", run.event.name])
    info.append(["评选计算", f"#{run.pk}"])
    info.append(["摘要（SHA-256）", run.digest])
    info.append(["标记", "（去高）去掉的最高分；（去低）去掉的最低分；回避；未提交"])
    info.append(["说明", ", ".join(f"{m.value}={label}" for m, label in MARK_LABELS.items())])
    ordered = sorted(categories, key=lambda c: (categories[c].order, c))
    for row in rules_rows([categories[c] for c in ordered]):
        info.append(row)
    for cat_id in ordered:
        ws = wb.create_sheet(_sheet_title(categories[cat_id].name, used))
        for row in category_rows(by_category[cat_id], overrides, categories[cat_id]):
            ws.append(row)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    for venue_id in sorted(venues, key=lambda v: venues[v].number):
        ws = wb.create_sheet(_sheet_title(f"{venues[venue_id].name}评分矩阵", used))
        for row in venue_matrix_rows(by_venue[venue_id]):
            ws.append(row)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "D2"
    for ws in wb.worksheets:
        # Entry texts that look like formulas (= + - @) go out as literal text
        neutralise_sheet(ws)
    wb.save(fh)
