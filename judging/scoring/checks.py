"""Checks on judges' points: validation against a score sheet, and cards far from their panel.

Pure functions on plain values (no ORM, no request, no settings); points are Decimals.
Problems are worded in the active language.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

TOTAL = "总分"


@dataclass(frozen=True)
class ItemRule:
    code: str
    name: str
    max_points: Decimal
    step: Decimal


@dataclass(frozen=True)
class PointsCheck:
    points: dict[str, Decimal]
    errors: list[str]

    @property
    def total(self) -> Decimal:
        return sum(self.points.values(), Decimal("0"))


def plain(value: Decimal) -> str:
    """Return a Decimal as people write it: "10", "12.5", never "1E+1"."""
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


def parse_points(value) -> Decimal | None:
    """Return a value typed or sent by a client as a Decimal, or None when it is not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def check_points(
    items: Sequence[ItemRule], raw: Mapping[str, object], *, complete: bool = True
) -> PointsCheck:
    """Validate points per item code: each a number within 0..max and on the item's step.

    With ``complete`` every item needs a value (a submit); without it missing or empty items are
    allowed (a draft). Unknown item codes are errors either way.
    """
    known = {item.code for item in items}
    errors = [
        _("评分项 %(code)s 不在评分表中") % {"code": code} for code in sorted(set(raw) - known)
    ]
    points: dict[str, Decimal] = {}
    for item in items:
        value = raw.get(item.code)
        label = _("评分项 %(code)s（%(name)s）") % {"code": item.code, "name": item.name}
        if value is None or (isinstance(value, str) and not value.strip()):
            if complete:
                errors.append(_("%(item)s 未打分") % {"item": label})
            continue
        number = parse_points(value)
        if number is None:
            errors.append(_("%(item)s 的分数“%(value)s”不是数字") % {"item": label, "value": value})
        elif number < 0 or number > item.max_points:
            errors.append(
                _("%(item)s 的分数 %(points)s 超出范围 0–%(max)s")
                % {"item": label, "points": plain(number), "max": plain(item.max_points)}
            )
        elif number % item.step != 0:
            errors.append(
                _("%(item)s 的分数 %(points)s 不符合步长 %(step)s")
                % {"item": label, "points": plain(number), "step": plain(item.step)}
            )
        else:
            points[item.code] = number.quantize(Decimal("0.01"))
    return PointsCheck(points=points, errors=errors)


@dataclass(frozen=True)
class Outlier:
    card: object
    item: str
    value: Decimal
    median: Decimal
    mad: Decimal

    @property
    def item_label(self) -> str:
        """Return the item's code, or the word for the total in the active language."""
        return _("总分") if self.item == TOTAL else self.item


def median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def find_outliers(
    cards: Mapping[object, Mapping[str, Decimal]],
    *,
    multiple: Decimal,
    floors: Mapping[str, Decimal] | None = None,
    min_cards: int = 3,
) -> list[Outlier]:
    """Return the (card, item) pairs farther from the panel's median than multiple × its MAD.

    ``cards`` maps a card key to its points per item; the total is checked too, under the key
    ``TOTAL``. The median absolute deviation (MAD) is floored per item (``floors``, e.g. the
    item's step) so that a unanimous panel does not flag every small difference. Panels with
    fewer than ``min_cards`` cards are not judged.
    """
    floors = floors or {}
    if len(cards) < min_cards:
        return []
    with_total = {
        key: {**points, TOTAL: sum(points.values(), Decimal("0"))} for key, points in cards.items()
    }
    codes = sorted({code for points in with_total.values() for code in points})
    found = []
    for code in codes:
        values = {key: points[code] for key, points in with_total.items() if code in points}
        if len(values) < min_cards:
            continue
        centre = median(list(values.values()))
        mad = median([abs(value - centre) for value in values.values()])
        scale = max(mad, floors.get(code, Decimal("0")))
        if scale == 0:
            continue
        for key, value in values.items():
            if abs(value - centre) > multiple * scale:
                found.append(Outlier(card=key, item=code, value=value, median=centre, mad=mad))
    return found
