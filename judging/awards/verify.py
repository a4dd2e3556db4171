"""Before an award run decides: the ledger verifies and every card's total is its lines' sum.

The run refuses on the first discrepancy (a broken chain or anchor, a card that differs from
the ledger, a total that is not the sum of its lines), naming the card by its judge and entry
codes. It reads the ledger, the anchors, the cards, their lines and the venue locks in a fixed
number of queries whatever the size of the event.
"""

from django.utils.translation import gettext as _

from events.models import Event
from judging.scoring.ledger_verify import CurrentCards, current_cards, verify_ledger


class ScoresNotTrusted(Exception):
    """The scores an award run would read do not match the ledger."""


def verify_scores(event: Event) -> CurrentCards:
    """Raise ScoresNotTrusted with the first problem unless the event's scores can be trusted;
    return the cards and lines verified, for the run to decide on those very rows."""
    current = current_cards(event)
    check = verify_ledger(event, current=current)
    if not check.ok:
        raise ScoresNotTrusted(
            _("评分账本校验未通过，评选计算已停止：%(problem)s。请核查后再计算。")
            % {"problem": check.problem}
        )
    return current
