"""How much the fairness report's bootstrap resamples: all it asks for, up to a fixed budget.

The rank intervals resample every venue's cards ``resamples`` times; the work grows with the
cards. Past a budget of card draws the report resamples fewer times (never fewer than
``MIN_RESAMPLES``), so a hundredfold event is reported in about the time of a small one. Each
venue's draws are seeded with the venue's id; the report records the resamples and the seed
rule, so the same run gives the same intervals.
"""

DRAW_BUDGET = 1_000_000  # the demo (about 3,300 cards) keeps the full 200 resamples
MIN_RESAMPLES = 40
SEED_RULE = "venue id"


def bootstrap_resamples(cards: int, *, asked: int = 200) -> int:
    """Return the resamples a bootstrap over ``cards`` valid cards draws (at most ``asked``)."""
    if cards <= 0:
        return asked
    return max(min(asked, DRAW_BUDGET // cards), min(asked, MIN_RESAMPLES))


def bootstrap_record(*, cards: int, asked: int, used: int) -> dict:
    """Return what the report keeps about its bootstrap: sampled or not, how, with which seeds."""
    return {
        "cards": cards,
        "resamples_asked": asked,
        "resamples": used,
        "sampled": used < asked,
        "seed": SEED_RULE,
    }
