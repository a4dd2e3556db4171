"""Score sheets: save a sheet and its items in one transaction (the demo builder uses it)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from judging.models import ScoreItem, ScoreSheet


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
