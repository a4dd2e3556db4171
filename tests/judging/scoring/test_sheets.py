"""Saving score sheets: the items must add up to the sheet's total."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from judging.models import ScoreSheet
from judging.scoring.sheets import ItemInput, save_score_sheet
from tests.factories import CategoryFactory, problem_solving_sheet


def items(*points):
    return [ItemInput(f"B{n}", f"评分项{n}", Decimal(p)) for n, p in enumerate(points, start=1)]


@pytest.mark.django_db
def test_save_score_sheet_saves_items_that_add_up():
    category = CategoryFactory()
    sheet = ScoreSheet(event=category.event, category=category, name="问题解决型课题成果评审表")
    save_score_sheet(sheet=sheet, items=items(15, 30, 20, 20, 5, 10))
    assert list(sheet.items.values_list("code", "max_points", "order")) == [
        ("B1", Decimal("15"), 1),
        ("B2", Decimal("30"), 2),
        ("B3", Decimal("20"), 3),
        ("B4", Decimal("20"), 4),
        ("B5", Decimal("5"), 5),
        ("B6", Decimal("10"), 6),
    ]


@pytest.mark.django_db
def test_save_score_sheet_refuses_items_that_do_not_add_up_and_saves_nothing():
    category = CategoryFactory()
    sheet = ScoreSheet(event=category.event, category=category, name="问题解决型课题成果评审表")
    with pytest.raises(ValidationError) as error:
        save_score_sheet(sheet=sheet, items=items(15, 30, 20, 20, 5, 5))
    assert error.value.messages == ["评分项满分合计为 95，应等于评分表满分 100。"]
    assert ScoreSheet.objects.count() == 0


@pytest.mark.django_db
def test_save_score_sheet_replaces_the_items_of_an_existing_sheet():
    sheet = problem_solving_sheet(CategoryFactory())
    sheet.total = Decimal("50")
    save_score_sheet(sheet=sheet, items=items(20, 30))
    assert list(sheet.items.values_list("code", "max_points")) == [
        ("B1", Decimal("20")),
        ("B2", Decimal("30")),
    ]


@pytest.mark.django_db
def test_validate_items_refuses_stored_items_that_do_not_add_up():
    sheet = problem_solving_sheet(CategoryFactory())
    sheet.items.filter(code="B6").update(max_points=Decimal("9.5"))
    with pytest.raises(ValidationError, match="99.5"):
        sheet.validate_items()
