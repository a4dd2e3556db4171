"""Paper score sheets: parse the workbook, validate it like the tablets, import all or nothing.

Format (design.md): a sheet per venue or one sheet ``scores``; header row 1 with ``编号
[entry_code]``, ``评委 [judge]``, one column per score-sheet item headed by its code, and
optionally ``回避 [recused]`` (1 when the judge was recused). Imported cards count only once a
second, different organizer confirms the import. Problems are worded in the active language;
the row's place kept in the ledger stays Chinese, whoever imported it.
"""

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.enums import VenueMode
from events.models import Event, Venue
from events.services import record_audit
from judging import dossiers, recusal, rules
from judging.enums import CardSource, CardStatus, LedgerAction, RecusalSource
from judging.models import (
    Judge,
    LedgerEntry,
    PanelSeat,
    Recusal,
    ReviewAssignment,
    Scorecard,
    VenueAssignment,
)
from judging.scoring.checks import check_points
from judging.scoring.ledger import append_card_entry
from judging.scoring.services import _venue_status, _write_lines
from judging.scoring.sheets import item_rules, sheet_for
from qcexchange.versions import bump_event_venues
from submissions.excel import workbook_problem
from submissions.models import Submission

HEADERS = {
    "编号": "entry_code",
    "entry_code": "entry_code",
    "评委": "judge",
    "judge": "judge",
    "回避": "recused",
    "recused": "recused",
}


@dataclass
class PaperRow:
    sheet: str
    row: int
    entry_code: str
    judge_code: str
    recused: bool
    points: dict[str, object] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        """Return the row's place as recorded in the ledger."""
        return f"工作表 {self.sheet} 第 {self.row} 行"

    @property
    def location(self) -> str:
        """Return the row's place for a message, in the active language."""
        return _("工作表 %(sheet)s 第 %(row)s 行") % {"sheet": self.sheet, "row": self.row}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_sheet(name: str, rows: list[tuple]) -> tuple[list[PaperRow], list[str]]:
    """Return the score rows of one worksheet (header in row 1) and the errors found in it."""
    from openpyxl.utils import get_column_letter

    if not rows:
        return [], []
    header = [_text(cell) for cell in rows[0]]
    columns: dict[str, int] = {}
    items: dict[str, int] = {}
    for index, title in enumerate(header):
        key = HEADERS.get(title.split(" [")[0]) or HEADERS.get(title.strip("[]").lower())
        if key:
            columns[key] = index
        elif title:
            items[title] = index
    errors = [
        _("工作表 %(sheet)s 第 1 行：缺少列“%(column)s”") % {"sheet": name, "column": label}
        for key, label in (("entry_code", "编号"), ("judge", "评委"))
        if key not in columns
    ]
    if errors:
        return [], errors
    parsed = []
    for number, values in enumerate(rows[1:], start=2):
        cells = list(values) + [None] * (len(header) - len(values))
        if not any(_text(cell) for cell in cells):
            continue
        recused_cell = _text(cells[columns["recused"]]) if "recused" in columns else ""
        parsed.append(
            PaperRow(
                sheet=name,
                row=number,
                entry_code=_text(cells[columns["entry_code"]]),
                judge_code=_text(cells[columns["judge"]]),
                recused=recused_cell in {"1", "是", "y", "yes", "true", "True"},
                points={code: _text(cells[index]) for code, index in items.items()},
                columns={code: get_column_letter(index + 1) for code, index in items.items()},
            )
        )
    return parsed, []


def read_workbook(path_or_file) -> tuple[list[PaperRow], list[str]]:
    """Return the rows of every worksheet of a paper score workbook and the errors found."""
    from openpyxl import load_workbook

    if hasattr(path_or_file, "seek"):
        problem = workbook_problem(path_or_file)
        if problem:
            return [], [problem]
    try:
        workbook = load_workbook(path_or_file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        return [], [_("无法读取 Excel 文件：%(error)s") % {"error": exc}]
    rows, errors = [], []
    for worksheet in workbook.worksheets:
        sheet_rows, sheet_errors = parse_sheet(
            worksheet.title, list(worksheet.iter_rows(values_only=True))
        )
        rows.extend(sheet_rows)
        errors.extend(sheet_errors)
    workbook.close()
    return rows, errors


@dataclass
class PlannedCard:
    row: PaperRow
    judge: Judge
    entry: Submission
    points: dict
    venue: Venue | None = None


def _plan(event: Event, rows: list[PaperRow]) -> tuple[list[PlannedCard], list, list[str]]:
    entries = {
        s.code: s
        for s in Submission.objects.filter(event=event).select_related("enterprise", "recommender")
    }
    judges = {j.code: j for j in Judge.objects.filter(event=event).select_related("affiliation")}
    venues = dict(
        VenueAssignment.objects.filter(venue__event=event).values_list("submission_id", "venue_id")
    )
    seats = set(PanelSeat.objects.filter(venue__event=event).values_list("judge_id", "venue_id"))
    # Stored recusals and the event's rules as they are now (a judge seated late included).
    recused = recusal.recused_pairs(event=event, judges=judges.values(), entries=entries.values())
    submitted = set(
        Scorecard.objects.filter(judge__event=event, status=CardStatus.SUBMITTED).values_list(
            "judge_id", "submission_id"
        )
    )
    # A written review takes cards only for the dossiers given to each expert, at the panel
    # of the assignment (the entry may be placed on site for its defence).
    all_venues = {v.pk: v for v in Venue.objects.filter(event=event)}
    written = {pk for pk, v in all_venues.items() if v.mode == VenueMode.WRITTEN}
    given = {
        (judge_id, submission_id): venue_id
        for judge_id, submission_id, venue_id in ReviewAssignment.objects.filter(
            submission__event=event
        ).values_list("judge_id", "submission_id", "venue_id")
    }
    planned, new_recusals, errors, seen = [], [], [], {}
    for row in rows:
        entry, judge = entries.get(row.entry_code), judges.get(row.judge_code)
        where = row.location
        codes = {"judge": row.judge_code, "entry": row.entry_code}
        if entry is None:
            errors.append(
                _("%(where)s 编号列：没有编号为“%(entry)s”的成果") % {"where": where, **codes}
            )
            continue
        if judge is None:
            errors.append(
                _("%(where)s 评委列：没有编号为“%(judge)s”的评委") % {"where": where, **codes}
            )
            continue
        key = (judge.pk, entry.pk)
        if key in seen:
            errors.append(
                _("%(where)s：评委 %(judge)s 对 %(entry)s 的评分与%(first)s重复")
                % {"where": where, "first": seen[key], **codes}
            )
            continue
        seen[key] = where
        venue_id = given.get(key) or venues.get(entry.pk)
        if venue_id is None:
            errors.append(_("%(where)s：成果 %(entry)s 尚未分配分会场") % {"where": where, **codes})
            continue
        if (judge.pk, venue_id) not in seats:
            errors.append(
                _("%(where)s：评委 %(judge)s 不在成果 %(entry)s 所在分会场的评审组中")
                % {"where": where, **codes}
            )
            continue
        if row.recused:
            if any(_text(value) for value in row.points.values()):
                errors.append(_("%(where)s：标注回避的评委不应填写分数") % {"where": where})
            elif key not in recused:
                new_recusals.append((judge, entry))
            continue
        if key in recused:
            errors.append(
                _("%(where)s：评委 %(judge)s 对成果 %(entry)s 须回避，不能评分")
                % {"where": where, **codes}
            )
            continue
        if venue_id in written and key not in given:
            errors.append(
                _("%(where)s：推荐材料 %(entry)s 没有分给专家 %(judge)s（书面评审），不能评分")
                % {"where": where, **codes}
            )
            continue
        if key in submitted:
            errors.append(
                _("%(where)s：评委 %(judge)s 对成果 %(entry)s 已有提交的评分")
                % {"where": where, **codes}
            )
            continue
        try:
            sheet = sheet_for(entry, venue=all_venues[venue_id])
        except ValidationError as error:
            errors.append(
                _("%(where)s：%(problem)s") % {"where": where, "problem": error.messages[0]}
            )
            continue
        points, row_ok = {}, True
        for item in item_rules(sheet):
            if item.code not in row.points:
                errors.append(
                    _("%(where)s：缺少评分项 %(item)s 列") % {"where": where, "item": item.code}
                )
                row_ok = False
                continue
            check = check_points([item], {item.code: row.points[item.code]})
            if check.errors:
                column = row.columns[item.code]
                errors.extend(
                    _("%(where)s %(column)s 列（%(item)s）：%(problem)s")
                    % {"where": where, "column": column, "item": item.code, "problem": text}
                    for text in check.errors
                )
                row_ok = False
            points.update(check.points)
        if row_ok:
            planned.append(
                PlannedCard(
                    row=row, judge=judge, entry=entry, points=points, venue=all_venues[venue_id]
                )
            )
    return planned, new_recusals, errors


def import_paper_scores(*, event: Event, workbook, by, confirmed_by=None) -> uuid.UUID:
    """Import a paper score workbook for the event, all or nothing; return the import's id.

    Raises ValidationError listing every problem (sheet, row, column) and saves nothing when
    any row is invalid. With ``confirmed_by`` (a second organizer) the import is confirmed too.
    """
    if not rules.is_organizer(by, event):
        raise ValidationError(_("%(user)s 不是本活动的组织者，不能导入评分。") % {"user": by})
    if confirmed_by is not None and confirmed_by.pk == by.pk:
        raise ValidationError(_("导入与复核须由两位不同的组织者完成。"))
    rows, errors = read_workbook(workbook)
    if not errors and not rows:
        errors = [_("评分表中没有评分行。")]
    planned, new_recusals, plan_errors = _plan(event, rows) if not errors else ([], [], [])
    errors += plan_errors
    if errors:
        raise ValidationError(errors)
    request_id = uuid.uuid4()
    with transaction.atomic():
        bump_event_venues(event.pk)  # on commit: the imported cards change the venues' matrices
        venues = sorted({plan.venue.pk: plan.venue for plan in planned}.values(), key=_pk)
        for venue in venues:
            if _venue_status(venue, for_update=True).is_locked:
                raise ValidationError(_("%(venue)s 已锁定，不能导入评分。") % {"venue": venue.name})
        for judge, entry in new_recusals:
            Recusal.objects.create(
                judge=judge,
                submission=entry,
                source=RecusalSource.MANUAL,
                reason="纸质评分表标注回避",
                created_by=by,
            )
        for plan in planned:
            sheet = sheet_for(plan.entry, venue=plan.venue)
            card, _created = Scorecard.objects.get_or_create(
                judge=plan.judge, submission=plan.entry, sheet=sheet
            )
            _write_lines(card, sheet, plan.points)
            card.total = sum(plan.points.values())
            card.status = CardStatus.SUBMITTED
            card.source = CardSource.PAPER
            card.client_id = None
            card.imported_by = by
            card.confirmed_by = None
            card.submitted_at = timezone.now()
            card.save()
            append_card_entry(
                card=card,
                action=LedgerAction.IMPORT,
                actor=by,
                extra={"where": plan.row.where},
                request_id=request_id,
                venue=plan.venue,
            )
        record_audit(
            actor=by,
            action="scores.paper_import",
            event=event,
            target=str(request_id),
            details={"cards": len(planned), "recusals": len(new_recusals)},
        )
        if confirmed_by is not None:
            confirm_paper_import(event=event, request_id=request_id, by=confirmed_by)
    return request_id


def _pk(venue: Venue) -> int:
    return venue.pk


def confirm_paper_import(*, event: Event, request_id: uuid.UUID, by) -> int:
    """Confirm an imported paper sheet as a second organizer; return how many cards now count."""
    if not rules.is_organizer(by, event):
        raise ValidationError(_("%(user)s 不是本活动的组织者，不能复核导入的评分。") % {"user": by})
    entries = LedgerEntry.objects.filter(
        event=event, request_id=request_id, action=LedgerAction.IMPORT
    ).select_related("card")
    cards = [entry.card for entry in entries]
    if not cards:
        raise ValidationError(_("没有找到这次导入的评分。"))
    with transaction.atomic():
        # The venues' status rows first, as every writer of cards takes them: no deadlock.
        venues = {v.pk: v for v in map(dossiers.venue_of_card, cards) if v is not None}
        for venue in sorted(venues.values(), key=_pk):
            _venue_status(venue, for_update=True)
        bump_event_venues(event.pk)
        count = 0
        for card in (
            Scorecard.objects.select_for_update(of=("self",))
            .order_by()
            .filter(
                pk__in=[c.pk for c in cards], confirmed_by__isnull=True, status=CardStatus.SUBMITTED
            )
        ):
            if card.imported_by_id == by.pk:
                raise ValidationError(
                    _("导入评分的组织者不能复核自己的导入，请由另一位组织者复核。")
                )
            card.confirmed_by = by
            card.save(update_fields=["confirmed_by", "updated_at"])
            append_card_entry(
                card=card, action=LedgerAction.CONFIRM, actor=by, request_id=request_id
            )
            count += 1
        record_audit(
            actor=by,
            action="scores.paper_confirm",
            event=event,
            target=str(request_id),
            details={"cards": count},
        )
    return count
