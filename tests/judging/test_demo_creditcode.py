"""GB 32100 unified social credit codes of the demo enterprises."""

import pytest

from judging.demo.creditcode import (
    credit_code_checksum,
    is_valid_credit_code,
    make_credit_code,
    org_code_checksum,
)


@pytest.mark.parametrize(
    "code",
    [
        "91440300708461136T",
        "914403001922038216",
        "91330100716105852F",
        "91110000100010433L",
    ],
)
def test_is_valid_credit_code_accepts_published_codes(code):
    assert is_valid_credit_code(code)


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("91440300708461136A", "wrong check character"),
        ("9144030070846113", "too short"),
        ("91440300708461136TT", "too long"),
        ("9144030070846113IT", "I is not in the alphabet"),
        ("91440300708461136t", "lower case"),
    ],
)
def test_is_valid_credit_code_refuses_broken_codes(code, why):
    assert not is_valid_credit_code(code), why


@pytest.mark.parametrize(
    ("body", "check"),
    [("91440300708461136", "T"), ("91440300192203821", "6"), ("91110000100010433", "L")],
)
def test_credit_code_checksum_of_known_bodies(body, check):
    assert credit_code_checksum(body) == check


@pytest.mark.parametrize(
    ("body", "check"),
    [("70846113", "6"), ("19220382", "1"), ("10001043", "3")],
)
def test_org_code_checksum_matches_the_ninth_character_of_known_codes(body, check):
    assert org_code_checksum(body) == check


def test_make_credit_code_builds_a_valid_code_in_the_division():
    code = make_credit_code(division="330100", org_body="12345678")
    assert code.startswith("91330100")
    assert is_valid_credit_code(code)
    assert code[16] == org_code_checksum("12345678")
