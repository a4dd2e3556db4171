"""The fairness bootstrap's budget: full resamples for the demo, fewer for a large event."""

import pytest

from judging.awards.sampling import bootstrap_record, bootstrap_resamples


@pytest.mark.parametrize(
    ("cards", "asked", "expected"),
    [
        (0, 200, 200),
        (3_300, 200, 200),  # the demo keeps every resample
        (5_000, 200, 200),
        (10_000, 200, 100),
        (33_000, 200, 40),  # ten times the demo: 30 by the budget, raised to the floor
        (10_000, 20, 20),  # never more than asked
    ],
)
def test_bootstrap_resamples_within_the_budget(cards, asked, expected):
    assert bootstrap_resamples(cards, asked=asked) == expected


def test_bootstrap_record_says_whether_it_sampled_and_the_seed():
    assert bootstrap_record(cards=33_000, asked=200, used=40) == {
        "cards": 33_000,
        "resamples_asked": 200,
        "resamples": 40,
        "sampled": True,
        "seed": "venue id",
    }
