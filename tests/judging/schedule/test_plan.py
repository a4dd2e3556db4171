"""Venue balancing, the draw, slot packing and recusal, checked against hand-computed cases."""

import datetime as dt

import pytest

from judging.schedule.plan import (
    Break,
    Entry,
    ScheduleError,
    Session,
    Stack,
    VenueSpec,
    assign_entries,
    balanced_targets,
    day_capacity,
    draw_order,
    pack_slots,
    suggest_remedies,
    venue_sessions,
)

DAY = dt.date(2021, 9, 24)


def at(hh, mm, day=DAY):
    return dt.datetime.combine(day, dt.time(hh, mm))


def venues(*keys, **declared):
    return [VenueSpec(k, declared.get(k, "")) for k in keys]


def placed(assignment, venue):
    return sorted(assignment.entries_of(venue))


# --------------------------------------------------------------------------- balance


@pytest.mark.parametrize(
    ("total", "keys", "locked", "expected"),
    [
        (7, ["V1", "V2", "V3"], {}, {"V1": 3, "V2": 2, "V3": 2}),
        (309, [f"V{i}" for i in range(1, 8)], {}, {"V1": 45, **{f"V{i}": 44 for i in range(2, 8)}}),
        (115, ["T1", "T2"], {}, {"T1": 58, "T2": 57}),
        (5, ["V1", "V2", "V3"], {"V3": 2}, {"V1": 2, "V2": 1, "V3": 2}),
        (5, ["V1", "V2"], {"V1": 4}, {"V1": 4, "V2": 1}),
    ],
)
def test_balanced_targets_hand_computed(total, keys, locked, expected):
    assert balanced_targets(total, keys, locked) == expected


def test_assign_entries_counts_differ_by_at_most_one():
    entries = [Entry(f"e{i}", f"ent{i}") for i in range(1, 8)]
    result = assign_entries(entries, venues("V1", "V2", "V3"))
    assert dict(result.counts) == {"V1": 3, "V2": 2, "V3": 2}
    assert result.balanced is True
    assert len(result.placements) == 7


def test_assign_entries_spreads_one_enterprise_over_venues():
    entries = [
        Entry("a1", "A"),
        Entry("a2", "A"),
        Entry("a3", "A"),
        Entry("b1", "B"),
        Entry("b2", "B"),
        Entry("c1", "C"),
    ]
    result = assign_entries(entries, venues("V1", "V2", "V3"))
    assert placed(result, "V1") == ["a1", "b1"]
    assert placed(result, "V2") == ["a2", "b2"]
    assert placed(result, "V3") == ["a3", "c1"]
    assert result.stacks == ()


def test_assign_entries_gives_each_topic_type_its_own_venue_when_enough():
    entries = [Entry(f"x{i}", f"x{i}", "X") for i in range(3)] + [
        Entry(f"y{i}", f"y{i}", "Y") for i in range(3)
    ]
    result = assign_entries(entries, venues("V1", "V2"))
    assert placed(result, "V1") == ["x0", "x1", "x2"]
    assert placed(result, "V2") == ["y0", "y1", "y2"]
    assert dict(result.homes) == {"V1": "X", "V2": "Y"}


def test_assign_entries_groups_types_when_fewer_venues_than_types():
    # X has 4, Y and Z one each; two venues of 3: X fills V1 and spills 1 into V2,
    # where the small types join it.
    entries = [Entry(f"x{i}", f"x{i}", "X") for i in range(4)]
    entries += [Entry("y0", "y0", "Y"), Entry("z0", "z0", "Z")]
    result = assign_entries(entries, venues("V1", "V2"))
    assert dict(result.counts) == {"V1": 3, "V2": 3}
    types_v1 = sorted(k[0] for k in result.entries_of("V1"))
    types_v2 = sorted(k[0] for k in result.entries_of("V2"))
    assert types_v1 == ["x", "x", "x"]
    assert types_v2 == ["x", "y", "z"]


def test_assign_entries_honours_a_venue_declared_for_a_topic_type():
    entries = [Entry(f"x{i}", f"x{i}", "X") for i in range(4)]
    entries += [Entry(f"y{i}", f"y{i}", "Y") for i in range(2)]
    result = assign_entries(entries, venues("V1", "V2", "V3", V1="Y"))
    assert placed(result, "V1") == ["y0", "y1"]
    assert dict(result.homes) == {"V1": "Y", "V2": "X", "V3": "X"}
    assert dict(result.counts) == {"V1": 2, "V2": 2, "V3": 2}


def test_assign_entries_keeps_locked_entries_and_balances_around_them():
    entries = [Entry("l1", "A", locked_venue="V3"), Entry("l2", "B", locked_venue="V3")]
    entries += [Entry(f"e{i}", f"E{i}") for i in range(3)]
    result = assign_entries(entries, venues("V1", "V2", "V3"))
    assert result.placements["l1"] == "V3"
    assert result.placements["l2"] == "V3"
    assert dict(result.counts) == {"V1": 2, "V2": 1, "V3": 2}


def test_assign_entries_reports_imbalance_forced_by_locks():
    entries = [Entry(f"l{i}", f"L{i}", locked_venue="V1") for i in range(4)] + [Entry("e", "E")]
    result = assign_entries(entries, venues("V1", "V2"))
    assert dict(result.counts) == {"V1": 4, "V2": 1}
    assert result.balanced is False


def test_assign_entries_lock_on_a_foreign_venue_is_an_error():
    with pytest.raises(ScheduleError):
        assign_entries([Entry("e", "E", locked_venue="V9")], venues("V1"))


def test_assign_entries_prefers_the_venue_with_fewer_recused_judges():
    entries = [Entry("e1", "A"), Entry("e2", "B")]
    result = assign_entries(entries, venues("V1", "V2"), recused={("e1", "V1"): 2})
    assert dict(result.placements) == {"e1": "V2", "e2": "V1"}


def test_assign_entries_reports_an_enterprise_stacked_by_the_grouping():
    entries = [Entry("x1", "A", "X"), Entry("x2", "A", "X")]
    entries += [Entry("y1", "B", "Y"), Entry("y2", "C", "Y")]
    result = assign_entries(entries, venues("V1", "V2"))
    assert result.stacks == (Stack("V1", "A", 2),)


def test_assign_entries_is_deterministic():
    entries = [Entry(f"e{i}", f"E{i % 4}", "XYZ"[i % 3]) for i in range(40)]
    first = assign_entries(entries, venues("V1", "V2", "V3"))
    again = assign_entries(list(entries), venues("V1", "V2", "V3"))
    assert dict(first.placements) == dict(again.placements)


def test_assign_entries_demo_sized_qc_category_is_balanced_and_grouped():
    sizes = {"onsite": 120, "tackling": 90, "management": 40, "service": 30, "innovation": 29}
    entries = []
    for topic, size in sizes.items():
        entries += [Entry(f"{topic}{i}", f"E{i % 97}", topic) for i in range(size)]
    result = assign_entries(entries, venues(*[f"V{i}" for i in range(1, 8)]))
    assert sorted(result.counts.values()) == [44] * 6 + [45]
    # every topic type has a home venue: seats onsite 2, tackling 2, the others 1 each
    assert sorted(result.homes.values()) == sorted(
        ["onsite", "onsite", "tackling", "tackling", "management", "service", "innovation"]
    )


# --------------------------------------------------------------------------- draw


def test_draw_order_same_seed_same_order_whatever_the_input_order():
    assert draw_order(["a", "b", "c", "d"], seed=42) == draw_order(["d", "c", "b", "a"], seed=42)


def test_draw_order_pins_the_order_of_a_known_seed():
    # Pinned so a change of algorithm (which would re-order announced draws) is noticed.
    assert draw_order(["a", "b", "c", "d"], seed=42) == ("c", "b", "d", "a")


def test_draw_order_is_a_permutation():
    keys = [f"QC-{i:03d}" for i in range(1, 45)]
    order = draw_order(keys, seed=7)
    assert sorted(order) == keys
    assert order != tuple(keys)


def test_draw_order_rejects_duplicates():
    with pytest.raises(ScheduleError):
        draw_order(["a", "a"], seed=1)


# --------------------------------------------------------------------------- packing

DEMO_SESSIONS = venue_sessions(
    DAY, morning=(dt.time(8, 30), dt.time(12, 0)), afternoon=(dt.time(13, 30), dt.time(18, 0))
)


def test_venue_sessions_with_an_extra_day():
    sessions = venue_sessions(
        DAY, morning=(dt.time(8, 30), dt.time(12, 0)), afternoon=None, extra_days=1
    )
    assert sessions == (
        Session(at(8, 30), at(12, 0)),
        Session(at(8, 30, DAY + dt.timedelta(days=1)), at(12, 0, DAY + dt.timedelta(days=1))),
    )


@pytest.mark.parametrize(
    ("slot", "pause", "expected"),
    [
        (10, 0, 21 + 27),  # 210 // 10 + 270 // 10
        (10, 15, 19 + 25),  # a break costs 2 slots in each session
        (8, 0, 26 + 33),
        (4, 0, 52 + 67),  # 119: one short of 124 stories in one room
    ],
)
def test_day_capacity_hand_computed(slot, pause, expected):
    assert day_capacity(DEMO_SESSIONS, slot_minutes=slot, break_minutes=pause) == expected


def test_pack_slots_runs_in_order_and_takes_the_break_past_the_middle():
    packing = pack_slots(
        list(range(1, 21)), sessions=DEMO_SESSIONS, slot_minutes=10, break_minutes=15
    )
    slots = packing.slots
    assert (slots[0].key, slots[0].number, slots[0].start, slots[0].end) == (
        1,
        1,
        at(8, 30),
        at(8, 40),
    )
    # midpoint of 08:30-12:00 less the break is 10:07:30; the first boundary after it is 10:10
    assert packing.breaks == (Break(at(10, 10), at(10, 25)),)
    assert (slots[9].start, slots[10].start) == (at(10, 0), at(10, 25))
    assert slots[18].end == at(11, 55)
    assert (slots[19].number, slots[19].start) == (20, at(13, 30))
    assert packing.fits is True


def test_pack_slots_reports_overflow_in_minutes():
    keys = [f"PP-{i:03d}" for i in range(1, 125)]
    packing = pack_slots(keys, sessions=DEMO_SESSIONS, slot_minutes=4)
    assert len(packing.slots) == 119
    assert packing.slots[-1].end == at(17, 58)  # 13:30 + 67 * 4
    assert packing.overflow == tuple(keys[119:])
    assert packing.overflow_minutes == 20
    assert packing.fits is False


def test_pack_slots_without_entries_is_empty():
    packing = pack_slots([], sessions=DEMO_SESSIONS, slot_minutes=10)
    assert (packing.slots, packing.breaks, packing.overflow) == ((), (), ())


def test_suggest_remedies_for_the_story_venue():
    remedies = suggest_remedies(124, day_sessions=DEMO_SESSIONS, slot_minutes=4)
    assert remedies.overflow_entries == 5
    assert remedies.overflow_minutes == 20
    assert remedies.shorter_slot_minutes == 3  # 70 + 90 = 160 slots
    assert remedies.extra_days == 1
    assert remedies.written_entries == 5
    assert remedies.extend_minutes == 20


def test_suggest_remedies_when_everything_fits():
    remedies = suggest_remedies(44, day_sessions=DEMO_SESSIONS, slot_minutes=10)
    assert (remedies.overflow_entries, remedies.shorter_slot_minutes, remedies.extra_days) == (
        0,
        None,
        0,
    )


def test_suggest_remedies_counts_days_already_added():
    # 100 QC entries at 10 min: 48 a day, one extra day given -> 96, one more day needed
    remedies = suggest_remedies(100, day_sessions=DEMO_SESSIONS, extra_days=1, slot_minutes=10)
    assert (remedies.overflow_entries, remedies.extra_days) == (4, 1)
    assert remedies.shorter_slot_minutes == 9  # 23 + 30 = 53 a day, 106 over two days


# --------------------------------------------------------------------------- recusal


def test_assignment_does_not_hang_on_the_digits_of_enterprise_ids():
    # The same six entries of four enterprises, once numbered 1..4 and once 8..11 (a database
    # whose ids ran on): the venues must be the same. Ordered as text, "10" came before "8" and
    # the greedy spread took the enterprises in another order.
    spec = [(0, "onsite"), (2, "onsite"), (2, "tackling"), (1, "onsite"), (1, "tackling"),
            (3, "tackling")]  # fmt: skip

    def placements(first_id):
        entries = [
            Entry(key=f"QC-{n:03d}", enterprise=first_id + company, topic_type=topic)
            for n, (company, topic) in enumerate(spec, start=1)
        ]
        venues = [VenueSpec(key=v, topic_type="") for v in ("V1", "V2", "V3")]
        return dict(assign_entries(entries, venues).placements)

    assert placements(1) == placements(8)
