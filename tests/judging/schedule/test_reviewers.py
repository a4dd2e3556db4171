"""Dossiers to experts for a written review, checked against hand-computed cases."""

import itertools
import random

import pytest

from judging.schedule.plan import ScheduleError
from judging.schedule.reviewers import assign_readers

DOSSIERS = ["P1", "P2", "P3", "P4", "P5"]


def test_each_dossier_gets_its_readers_and_loads_differ_by_at_most_one():
    # 5 dossiers × 2 readers = 10 reads over 3 experts: 4, 3 and 3.
    plan = assign_readers(DOSSIERS, ["A", "B", "C"], readers=2, seed=7)
    assert {d: len(set(r)) for d, r in plan.readers.items()} == dict.fromkeys(DOSSIERS, 2)
    assert sorted(plan.loads.values()) == [3, 3, 4]
    assert plan.balanced
    assert plan.shortfalls == {}


@pytest.mark.parametrize("seed", range(6))
def test_a_recused_expert_never_reads_the_dossier(seed):
    # A stands aside from P1, so P1 can only go to B and C; the other 8 reads spread so that
    # the loads stay 4, 3, 3.
    plan = assign_readers(DOSSIERS, ["A", "B", "C"], readers=2, seed=seed, recused={("A", "P1")})
    assert plan.readers["P1"] == ("B", "C")
    assert sorted(plan.loads.values()) == [3, 3, 4]
    assert ("A", "P1") not in plan.pairs


@pytest.mark.parametrize("seed", range(10))
def test_the_only_balanced_plan_is_found_for_any_seed(seed):
    # A and B stand aside from P1: P1 takes C and D, so P2 must take A and B (loads 1 each).
    plan = assign_readers(
        ["P1", "P2"], ["A", "B", "C", "D"], readers=2, seed=seed, recused={("A", "P1"), ("B", "P1")}
    )
    assert dict(plan.readers) == {"P1": ("C", "D"), "P2": ("A", "B")}
    assert dict(plan.loads) == {"A": 1, "B": 1, "C": 1, "D": 1}


@pytest.mark.parametrize("seed", range(20))
def test_work_is_passed_along_a_chain_of_experts(seed):
    # A stands aside from everything; B may read only P2; D may not read P2. The balanced plan
    # gives P2 to B and P1, P3 to C and D, one each: loads 0, 1, 1, 1. A plan that gives P2 to
    # C leaves C or D with two, and no single move fixes it (B cannot read P1 or P3); only the
    # chain "C hands P2 to B, D hands P1 or P3 to C" does.
    recused = {("A", "P1"), ("A", "P2"), ("A", "P3"), ("B", "P1"), ("B", "P3"), ("D", "P2")}
    plan = assign_readers(["P1", "P2", "P3"], "ABCD", readers=1, seed=seed, recused=recused)
    assert plan.readers["P2"] == ("B",)
    assert {plan.readers["P1"], plan.readers["P3"]} == {("C",), ("D",)}
    assert dict(plan.loads) == {"A": 0, "B": 1, "C": 1, "D": 1}
    assert plan.spread == 1


def test_shortfall_is_reported_when_too_few_experts_are_free():
    # Three readers wanted; A stands aside from P1, so P1 gets B and C and lacks one.
    plan = assign_readers(["P1", "P2"], ["A", "B", "C"], readers=3, seed=1, recused={("A", "P1")})
    assert dict(plan.readers) == {"P1": ("B", "C"), "P2": ("A", "B", "C")}
    assert dict(plan.shortfalls) == {"P1": 1}
    assert dict(plan.loads) == {"A": 1, "B": 2, "C": 2}


def test_kept_pairs_stay_and_count_towards_load_and_readers():
    # A has started P1: P1 needs no one else, and P2, P3 go to B and C (one each).
    plan = assign_readers(
        ["P1", "P2", "P3"], ["A", "B", "C"], readers=1, seed=3, kept={("A", "P1")}
    )
    assert plan.readers["P1"] == ("A",)
    assert {plan.readers["P2"], plan.readers["P3"]} == {("B",), ("C",)}
    assert dict(plan.loads) == {"A": 1, "B": 1, "C": 1}


def test_a_kept_pair_now_recused_stays_but_does_not_count_as_a_reader():
    plan = assign_readers(
        ["P1"], ["A", "B"], readers=1, seed=3, kept={("A", "P1")}, recused={("A", "P1")}
    )
    assert plan.readers["P1"] == ("A", "B")
    assert plan.shortfalls == {}


def test_the_same_seed_gives_the_same_plan_and_seeds_differ():
    first = assign_readers(DOSSIERS, ["A", "B", "C"], readers=2, seed=42)
    again = assign_readers(list(reversed(DOSSIERS)), ["C", "A", "B"], readers=2, seed=42)
    assert dict(first.readers) == dict(again.readers)
    assert dict(first.loads) == dict(again.loads)
    plans = {
        tuple(assign_readers(DOSSIERS, ["A", "B", "C"], readers=2, seed=s).readers.items())
        for s in range(10)
    }
    assert len(plans) > 1


def test_no_experts_leaves_every_dossier_short():
    plan = assign_readers(["P1", "P2"], [], readers=2, seed=1)
    assert dict(plan.readers) == {"P1": (), "P2": ()}
    assert dict(plan.shortfalls) == {"P1": 2, "P2": 2}
    assert plan.spread == 0


def test_bad_input_is_refused():
    with pytest.raises(ScheduleError):
        assign_readers(["P1"], ["A"], readers=0, seed=1)
    with pytest.raises(ScheduleError):
        assign_readers(["P1"], ["A"], readers=1, seed=1, kept={("Z", "P1")})


def _best_spread(dossiers, experts, readers, recused):
    """Return the smallest load spread any plan reaches (every plan, tried one by one)."""
    choices = []
    for d in dossiers:
        free = [e for e in experts if (e, d) not in recused]
        choices.append(list(itertools.combinations(free, min(readers, len(free)))))
    best = None
    for combo in itertools.product(*choices):
        load = dict.fromkeys(experts, 0)
        for chosen in combo:
            for e in chosen:
                load[e] += 1
        spread = max(load.values()) - min(load.values())
        best = spread if best is None else min(best, spread)
    return best


def test_plans_are_as_even_as_the_recusals_allow():
    """Against every possible plan of small panels: spread at most one, or the least there is."""
    rng = random.Random(5)
    for trial in range(300):
        experts = "ABCD"[: rng.randint(2, 4)]
        dossiers = [f"P{i}" for i in range(rng.randint(1, 5))]
        readers = rng.randint(1, 3)
        recused = {(e, d) for e in experts for d in dossiers if rng.random() < 0.3}
        plan = assign_readers(dossiers, experts, readers=readers, seed=trial, recused=recused)
        for d in dossiers:
            free = [e for e in experts if (e, d) not in recused]
            assert len(plan.readers[d]) == min(readers, len(free))
            assert set(plan.readers[d]) <= set(free)
        best = _best_spread(dossiers, experts, readers, recused)
        assert plan.spread <= max(best, 1), (trial, dict(plan.readers))
