"""Entry codes: the category's prefix and the next free number, e.g. QC-001 or GR-012."""

import re

from events.models import Category, Event

from ..models import Submission

CODE_RE = re.compile(r"-(\d+)$")


def next_codes(*, event: Event, category: Category, count: int) -> list[str]:
    """Return the next `count` free entry codes of a category, e.g. QC-001."""
    prefix = f"{category.code_prefix}-"
    highest = 0
    for code in Submission.objects.filter(event=event, code__startswith=prefix).values_list(
        "code", flat=True
    ):
        match = CODE_RE.search(code)
        if match:
            highest = max(highest, int(match.group(1)))
    return [f"{prefix}{number:03d}" for number in range(highest + 1, highest + 1 + count)]
