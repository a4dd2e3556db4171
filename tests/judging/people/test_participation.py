"""Participation figures from plain rows (no database)."""

from judging.people.participation import Person, participation


def test_participation_counts_organizations_delegates_and_arrivals():
    people = [
        Person(1, "甲公司", "enterprise", "浙江", "delegate", True),
        Person(2, "甲公司", "enterprise", "浙江", "delegate", False),
        Person(3, "乙协会", "association", "北京", "guest", True),
        Person(4, "丙公司", "enterprise", "", "judge", False),
    ]

    figures = participation(people)

    assert (figures.delegates, figures.organizations, figures.arrived) == (4, 3, 2)
    assert (figures.arrived_organizations, figures.enterprises, figures.associations) == (2, 2, 1)
    assert figures.by_province == (("浙江", 2, 1), ("北京", 1, 1), ("", 1, 0))
    assert figures.by_kind == (("delegate", 2, 1), ("guest", 1, 1), ("judge", 1, 0))


def test_participation_of_nobody_is_zero():
    figures = participation([])

    assert (figures.delegates, figures.organizations, figures.arrived) == (0, 0, 0)
