"""Recusal rules: who may not score which entry, hand-computed; panels that can still score."""

import pytest

from judging.schedule.recusal_rules import (
    ENTERPRISE,
    PARENT_GROUP,
    PROVINCE,
    RECOMMENDER,
    AutoRecusal,
    EntryParty,
    JudgeParty,
    RecusalRules,
    auto_recusals,
    check_panel,
    recusal_source,
)

JUDGE = JudgeParty("J01", frozenset({"甲机械有限公司"}), parent_group="国机集团", province="浙江")
ALL_ON = RecusalRules(parent_group=True, province=True, recommender=True)


@pytest.mark.parametrize(
    ("entry", "rules", "expected"),
    [
        (EntryParty("E", frozenset({"甲机械有限公司"})), RecusalRules(), ENTERPRISE),
        (EntryParty("E", frozenset({"乙公司", "甲 机械有限公司"})), RecusalRules(), ENTERPRISE),
        (EntryParty("E", frozenset({"乙公司"}), parent_group="国机集团"), RecusalRules(), None),
        (EntryParty("E", frozenset({"乙公司"}), parent_group="国机集团"), ALL_ON, PARENT_GROUP),
        (EntryParty("E", frozenset({"乙公司"}), province="浙江"), RecusalRules(), None),
        (EntryParty("E", frozenset({"乙公司"}), province="浙江"), ALL_ON, PROVINCE),
        (EntryParty("E", frozenset({"乙公司"}), recommender="甲机械有限公司"), ALL_ON, RECOMMENDER),
        (EntryParty("E", frozenset({"乙公司"}), province="江苏"), ALL_ON, None),
    ],
)
def test_recusal_source_hand_computed(entry, rules, expected):
    assert recusal_source(JUDGE, entry, rules) == expected


def test_recusal_source_blank_group_never_matches():
    judge = JudgeParty("J02", frozenset({"丙公司"}))
    entry = EntryParty("E", frozenset({"乙公司"}))
    assert recusal_source(judge, entry, ALL_ON) is None


def test_auto_recusals_lists_every_excluded_pair():
    judges = [JUDGE, JudgeParty("J02", frozenset({"乙公司"}), province="江苏")]
    entries = [
        EntryParty("E1", frozenset({"甲机械有限公司"}), province="浙江"),
        EntryParty("E2", frozenset({"乙公司"}), province="浙江"),
    ]
    found = auto_recusals(judges, entries, RecusalRules(province=True))
    assert found == (
        AutoRecusal("J01", "E1", ENTERPRISE),
        AutoRecusal("J01", "E2", PROVINCE),
        AutoRecusal("J02", "E2", ENTERPRISE),
    )


def test_check_panel_counts_eligible_judges_and_flags_thin_entries_and_heavy_judges():
    judges = ["J1", "J2", "J3", "J4", "J5"]
    entries = ["E1", "E2", "E3", "E4"]
    recused = [("J1", "E1"), ("J2", "E1"), ("J3", "E1"), ("J1", "E2")]
    check = check_panel(judges, entries, recused)
    assert dict(check.eligible) == {"E1": 2, "E2": 4, "E3": 5, "E4": 5}
    assert check.thin == ("E1",)
    assert check.heavy == (("J1", 2),)  # 2 of 4 entries is more than a quarter


def test_check_panel_with_a_small_panel_flags_every_entry():
    check = check_panel(["J1", "J2"], ["E1"], [])
    assert check.thin == ("E1",)
