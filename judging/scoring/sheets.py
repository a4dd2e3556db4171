"""Score sheets: which sheet an entry is scored on, and saving a sheet with its items in one
transaction (the demo builder and the contest page use it)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Prefetch
from django.utils.translation import gettext as _

from events.enums import VenueMode
from events.models import Venue
from judging import dossiers
from judging.enums import Phase
from judging.models import Judge, ReviewAssignment, ScoreItem, ScoreSheet, VenueAssignment
from judging.scoring.checks import ItemRule
from qcexchange import versions
from submissions.models import Submission


@dataclass(frozen=True)
class ItemInput:
    code: str
    name: str
    max_points: Decimal
    criteria: str = ""
    step: Decimal = Decimal("0.5")


@transaction.atomic
def save_score_sheet(*, sheet: ScoreSheet, items: Sequence[ItemInput]) -> ScoreSheet:
    """Save a sheet with exactly these items; refuse it unless their points add up to its total.

    Raises ValidationError (and saves nothing) when the items' maximum points do not add up.
    """
    sheet.clean_items([item.max_points for item in items])
    sheet.full_clean()
    sheet.save()
    codes = [item.code for item in items]
    sheet.items.exclude(code__in=codes).delete()
    for order, item in enumerate(items, start=1):
        ScoreItem.objects.update_or_create(
            sheet=sheet,
            code=item.code,
            defaults={
                "name": item.name,
                "criteria": item.criteria,
                "max_points": item.max_points,
                "step": item.step,
                "order": order,
            },
        )
    sheet.validate_items()
    return sheet


def sheet_for(
    submission: Submission,
    *,
    phase: str | None = None,
    venue: Venue | None = None,
    judge: Judge | None = None,
) -> ScoreSheet:
    """Return the score sheet for an entry: its category and topic type, else the category's.

    Without a phase, the phase the entry is scored in at ``venue``, or where ``judge`` scores
    it (judging.dossiers), else where it is assigned: a written review (书面评审) scores on the
    category's documents sheet (资料评审) when it has one, everywhere else on the presentation
    sheet (else the on-site one, 现场评价). A sheet of a given phase comes from memory.
    """
    if phase is None and venue is not None:
        return _sheet_at(submission, venue)
    if phase is not None:
        return _pick_sheet(
            submission, _kept_sheets(submission.category_id, submission.topic_type, (phase,))
        )
    # One query still: whether the entry sits in a written review rides along.
    sheets = list(
        ScoreSheet.objects.filter(
            category_id=submission.category_id,
            phase__in=[Phase.PRESENTATION, Phase.DOCUMENTS, Phase.ONSITE],
            topic_type__in={submission.topic_type, ""},
        )
        .annotate(
            written=Exists(
                VenueAssignment.objects.filter(
                    submission_id=submission.pk, venue__mode=VenueMode.WRITTEN
                )
            ),
            reading=Exists(
                ReviewAssignment.objects.filter(
                    judge_id=getattr(judge, "pk", None), submission_id=submission.pk
                )
            ),
        )
        .prefetch_related(Prefetch("items", queryset=ScoreItem.objects.order_by("order", "pk")))
        .order_by("-topic_type", "pk")  # the topic type's own sheet before the category's
    )
    if sheets and sheets[0].reading:  # given to the judge in writing: where they score it
        return _sheet_at(submission, dossiers.scoring_venue(judge, submission))
    written = bool(sheets) and sheets[0].written
    order = dossiers.WRITTEN_PHASES if written else dossiers.ONSITE_PHASES
    wanted = next((p for p in order if any(s.phase == p for s in sheets)), order[0])
    return _pick_sheet(submission, [s for s in sheets if s.phase == wanted])


def _pick_sheet(submission: Submission, sheets: list[ScoreSheet]) -> ScoreSheet:
    if not sheets:
        raise ValidationError(
            _("成果 %(entry)s 所属类别没有评分表，请联系组织者。") % {"entry": submission.code}
        )
    return sheets[0]


def _sheet_at(submission: Submission, venue: Venue) -> ScoreSheet:
    """Return the entry's sheet of the phase scored at the venue (its fallback when missing)."""
    wanted = dossiers.phases_at(venue)
    for phase in wanted:
        try:
            return sheet_for(submission, phase=phase)
        except ValidationError:
            if phase == wanted[-1]:
                raise
    raise AssertionError("unreachable")


# The sheets (with their items) this process read, by category, topic type and phases, under
# the version of all sheets when they were read: a submit reads one version from the cache
# instead of two tables. Any sheet or item saved or deleted bumps the version (judging.apps).
_sheets_kept: dict[tuple, tuple[str, list[ScoreSheet]]] = {}


def _kept_sheets(category_id: int, topic_type: str, phases: tuple) -> list[ScoreSheet]:
    key = (category_id, topic_type, phases)
    version = versions.current(versions.SHEETS_KEY)
    kept = _sheets_kept.get(key)
    if kept is not None and kept[0] == version:
        return kept[1]
    sheets = list(
        ScoreSheet.objects.filter(
            category_id=category_id, phase__in=phases, topic_type__in={topic_type, ""}
        )
        .prefetch_related(Prefetch("items", queryset=ScoreItem.objects.order_by("order", "pk")))
        .order_by("-topic_type", "pk")  # the topic type's own sheet before the category's
    )
    if sheets:
        _sheets_kept[key] = (version, sheets)
    return sheets


def item_rules(sheet: ScoreSheet) -> list[ItemRule]:
    return [
        ItemRule(code=item.code, name=item.name, max_points=item.max_points, step=item.step)
        for item in sheet.items.all()
    ]
