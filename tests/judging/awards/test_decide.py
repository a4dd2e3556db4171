"""Award rules: hand-computed decisions and reasons for quotas, thresholds, tiers and ties."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from judging.awards.decide import (
    ALL_IN,
    ALL_OUT,
    BENCHMARK,
    BOTH,
    CATEGORY_SCOPE,
    EXCLUDED,
    INCOMPLETE,
    NONE,
    QUOTA,
    THRESHOLD,
    TIEBREAK,
    TIER,
    TIERS,
    VENUE_SCOPE,
    Candidate,
    Rules,
    Tier,
    decide,
    quota_size,
    select_top,
)


def cand(key, score, venue="第3分会场", **kwargs):
    return Candidate(key=key, venue=venue, score=None if score is None else D(str(score)), **kwargs)


def by_key(outcomes):
    return {o.key: o for o in outcomes}


@pytest.mark.parametrize(
    "count, percent, rounding, expected",
    [
        (44, "50", "half_up", 22),
        (45, "50", "half_up", 23),
        (45, "50", "floor", 22),
        (45, "50", "ceil", 23),
        (43, "50", "half_up", 22),
        (43, "50", "floor", 21),
        (7, "10", "half_up", 1),
        (7, "10", "floor", 0),
        (7, "10", "ceil", 1),
        (124, "14.5", "half_up", 18),
        (115, "61.74", "half_up", 71),
        (309, "50.16", "half_up", 155),
        (0, "50", "ceil", 0),
    ],
)
def test_quota_size_rounding(count, percent, rounding, expected):
    assert quota_size(count, D(percent), rounding) == expected


VENUE_HALF = Rules(rule=QUOTA, quota_percent=D("50"), scope=VENUE_SCOPE)


def test_quota_per_venue_decisions_and_reasons():
    out = by_key(decide([cand("A", 90), cand("B", 85), cand("C", 80), cand("D", 75)], VENUE_HALF))
    assert [out[k].decision for k in "ABCD"] == [BENCHMARK, BENCHMARK, NONE, NONE]
    assert out["A"].reason == "第3分会场第1名，得分90.00，位于前50%（2名）内"
    assert out["C"].reason == "第3分会场第3名，得分80.00，未进入前50%（2名）"
    assert [out[k].rank_in_venue for k in "ABCD"] == [1, 2, 3, 4]


def test_quota_per_venue_applies_to_each_venue_separately():
    entries = [
        cand("A", 90, venue="第1分会场"),
        cand("B", 70, venue="第1分会场"),
        cand("C", 80, venue="第2分会场"),
        cand("D", 60, venue="第2分会场"),
    ]
    out = by_key(decide(entries, VENUE_HALF))
    assert {k for k, o in out.items() if o.decision == BENCHMARK} == {"A", "C"}
    assert [out[k].rank_in_category for k in "ABCD"] == [1, 3, 2, 4]


def test_fixed_count_per_category_across_venues():
    entries = [
        cand("A", 90, venue="第1分会场"),
        cand("B", 88, venue="第1分会场"),
        cand("C", 89, venue="第2分会场"),
        cand("D", 60, venue="第2分会场"),
    ]
    rules = Rules(rule=QUOTA, quota_count=3, scope=CATEGORY_SCOPE, category_label="QC成果")
    out = by_key(decide(entries, rules))
    assert {k for k, o in out.items() if o.decision == BENCHMARK} == {"A", "B", "C"}
    assert out["C"].reason == "QC成果第2名（第2分会场第1名），得分89.00，位于前3名内"
    assert out["D"].reason == "QC成果第4名（第2分会场第2名），得分60.00，未进入前3名"


TIED = [
    cand("A", 90, tiebreak_item=D("28"), spread=D("2"), draw=1),
    cand("B", 85, tiebreak_item=D("25"), spread=D("4"), draw=3),
    cand("C", 85, tiebreak_item=D("26"), spread=D("2"), draw=7),
    cand("D", 80, tiebreak_item=D("20"), spread=D("1"), draw=2),
]


@pytest.mark.parametrize(
    "tie_rule, chosen, ranks",
    [
        (ALL_IN, {"A", "B", "C"}, [1, 2, 2, 4]),
        (ALL_OUT, {"A"}, [1, 2, 2, 4]),
        (TIEBREAK, {"A", "C"}, [1, 3, 2, 4]),
    ],
)
def test_tie_at_quota_boundary_under_each_rule(tie_rule, chosen, ranks):
    rules = Rules(rule=QUOTA, quota_percent=D("50"), scope=VENUE_SCOPE, tie_rule=tie_rule)
    out = by_key(decide(TIED, rules))
    assert {k for k, o in out.items() if o.decision == BENCHMARK} == chosen
    assert [out[k].rank_in_venue for k in "ABCD"] == ranks


def test_tie_reasons_state_the_rule():
    tb = Rules(
        rule=QUOTA, quota_percent=D("50"), scope=VENUE_SCOPE, tiebreak_label="原因分析项得分"
    )
    out = by_key(decide(TIED, tb))
    assert out["C"].reason == (
        "第3分会场第2名，得分85.00，位于前50%（2名）内"
        "（名额边界同分，按原因分析项得分、计入评分离散度、抽签顺序决出）"
    )
    assert (out["C"].tie_broken, out["B"].tie_broken, out["A"].tie_broken) == (True, True, False)
    out = by_key(
        decide(TIED, Rules(rule=QUOTA, quota_percent=D("50"), scope=VENUE_SCOPE, tie_rule=ALL_OUT))
    )
    assert out["B"].reason == (
        "第3分会场第2名，得分85.00，未进入前50%（2名）（名额边界同分，按规则同分者均不入选）"
    )
    out = by_key(
        decide(TIED, Rules(rule=QUOTA, quota_percent=D("50"), scope=VENUE_SCOPE, tie_rule=ALL_IN))
    )
    assert out["B"].reason == (
        "第3分会场第2名，得分85.00，位于前50%（2名）内（名额边界同分，按规则同分者均入选）"
    )


@pytest.mark.parametrize(
    "b, c, winner",
    [
        # the named item decides
        ({"tiebreak_item": D("25")}, {"tiebreak_item": D("26")}, "C"),
        # equal item: the smaller spread of counted cards
        (
            {"tiebreak_item": D("26"), "spread": D("1.5")},
            {"tiebreak_item": D("26"), "spread": D("2")},
            "B",
        ),
        # equal item and spread: the earlier drawn order
        ({"tiebreak_item": D("26"), "draw": 3}, {"tiebreak_item": D("26"), "draw": 2}, "C"),
    ],
)
def test_tiebreak_levels(b, c, winner):
    entries = [cand("A", 90), cand("B", 85, **b), cand("C", 85, **c), cand("D", 80)]
    rules = Rules(rule=QUOTA, quota_percent=D("50"), scope=VENUE_SCOPE)
    out = by_key(decide(entries, rules))
    assert {k for k, o in out.items() if o.decision == BENCHMARK} == {"A", winner}


def test_threshold_rule():
    rules = Rules(rule=THRESHOLD, threshold=D("85"), scope=VENUE_SCOPE)
    out = by_key(decide([cand("A", 90), cand("B", 85), cand("C", "84.99")], rules))
    assert [out[k].decision for k in "ABC"] == [BENCHMARK, BENCHMARK, NONE]
    assert out["B"].reason == "第3分会场第2名，得分85.00，达到分数线85.00"
    assert out["C"].reason == "第3分会场第3名，得分84.99，未达到分数线85.00"


def test_both_rule_needs_quota_and_threshold():
    rules = Rules(rule=BOTH, quota_percent=D("50"), threshold=D("88"), scope=VENUE_SCOPE)
    out = by_key(decide([cand("A", 90), cand("B", 87), cand("C", 86), cand("D", 70)], rules))
    assert [out[k].decision for k in "ABCD"] == [BENCHMARK, NONE, NONE, NONE]
    assert out["A"].reason == "第3分会场第1名，得分90.00，位于前50%（2名）内且达到分数线88.00"
    assert out["B"].reason == "第3分会场第2名，得分87.00，位于前50%（2名）内，但未达到分数线88.00"


BANDS = (
    Tier("一等奖", min_score=D("90")),
    Tier("二等奖", min_score=D("85")),
    Tier("三等奖", min_score=D("80")),
)


def test_tiers_by_score_bands():
    rules = Rules(rule=TIERS, tiers=BANDS, scope=VENUE_SCOPE)
    out = by_key(decide([cand("A", 92), cand("B", 85), cand("C", 80), cand("D", "79.99")], rules))
    assert [(out[k].decision, out[k].tier) for k in "ABCD"] == [
        (TIER, "一等奖"),
        (TIER, "二等奖"),
        (TIER, "三等奖"),
        (NONE, ""),
    ]
    assert out["B"].reason == "第3分会场第2名，得分85.00，评为二等奖（85.00分及以上）"
    assert out["D"].reason == "第3分会场第4名，得分79.99，低于80.00分，未获等级"


def test_tiers_by_shares():
    shares = (
        Tier("一等奖", share=D("10")),
        Tier("二等奖", share=D("20")),
        Tier("三等奖", share=D("30")),
    )
    rules = Rules(rule=TIERS, tiers=shares, scope=VENUE_SCOPE)
    entries = [cand(f"E{i}", 100 - i) for i in range(10)]
    out = decide(entries, rules)
    assert [o.tier for o in out] == [
        "一等奖",
        "二等奖",
        "二等奖",
        "三等奖",
        "三等奖",
        "三等奖",
        "",
        "",
        "",
        "",
    ]
    assert out[1].reason == "第3分会场第2名，得分99.00，位于前30%（3名）内，评为二等奖"
    assert out[6].reason == "第3分会场第7名，得分94.00，未进入前60%（6名），未获等级"


def test_incomplete_and_excluded_entries_are_not_ranked():
    rules = Rules(rule=QUOTA, quota_percent=D("50"), scope=VENUE_SCOPE)
    entries = [
        cand("A", 90),
        cand("B", None, valid_cards=2),
        cand("C", 95, excluded=True),
        cand("D", 80),
    ]
    out = by_key(decide(entries, rules))
    assert (out["B"].decision, out["B"].rank_in_venue) == (INCOMPLETE, None)
    assert out["B"].reason == "有效评分2份，少于3份，不参与排名"
    assert (out["C"].decision, out["C"].reason) == (EXCLUDED, "校准成果，不参与评选")
    # 2 ranked entries, 50% = 1 place
    assert (out["A"].decision, out["D"].decision) == (BENCHMARK, NONE)


def test_rules_without_parameters_are_refused():
    with pytest.raises(ValueError):
        decide([cand("A", 90)], Rules(rule=THRESHOLD))
    with pytest.raises(ValueError):
        decide([cand("A", 90)], Rules(rule=QUOTA))


scores = st.lists(st.decimals(min_value=60, max_value=62, places=1), min_size=1, max_size=30)


@given(scores, st.integers(min_value=0, max_value=35), st.sampled_from([ALL_IN, ALL_OUT, TIEBREAK]))
def test_quota_never_exceeds_its_share_except_by_tie_rule(values, places, tie_rule):
    entries = [cand(f"E{i:02d}", v, draw=i) for i, v in enumerate(values)]
    chosen = select_top(entries, places, tie_rule).chosen
    limit = min(places, len(entries))
    if tie_rule == TIEBREAK:
        assert len(chosen) == limit
    elif tie_rule == ALL_OUT:
        assert len(chosen) <= limit
    elif len(chosen) > limit:
        ordered = sorted((c.score for c in entries), reverse=True)
        boundary = ordered[limit - 1]
        extra = [c for c in entries if c.key in chosen and c.score == boundary]
        assert len(chosen) - len(extra) < limit
    # nobody out scores higher than anybody in
    if chosen and len(chosen) < len(entries):
        assert min(c.score for c in entries if c.key in chosen) >= max(
            c.score for c in entries if c.key not in chosen
        )


@given(scores, st.randoms())
def test_decisions_do_not_depend_on_input_order(values, rnd):
    entries = [cand(f"E{i:02d}", v, draw=i) for i, v in enumerate(values)]
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    rules = Rules(rule=QUOTA, quota_percent=D("50"), scope=VENUE_SCOPE)
    assert by_key(decide(shuffled, rules)) == by_key(decide(entries, rules))
