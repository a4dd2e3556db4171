"""Credit codes generated for the demo enterprises."""

import pytest

from judging.demo.creditcode import make_credit_code, org_code_checksum
from submissions.validators import credit_code_problem


@pytest.mark.parametrize(
    ("body", "check"),
    # The ninth character of published codes 91440300708461136T, 914403001922038216,
    # 91110000100010433L.
    [("70846113", "6"), ("19220382", "1"), ("10001043", "3")],
)
def test_org_code_checksum_matches_published_codes(body, check):
    assert org_code_checksum(body) == check


@pytest.mark.parametrize(
    ("division", "org_body"),
    [("330100", "12345678"), ("310115", "00000000"), ("450200", "99999999")],
)
def test_make_credit_code_builds_a_code_the_validator_accepts(division, org_body):
    code = make_credit_code(division=division, org_body=org_body)
    assert code[:8] == f"91{division}"
    assert code[16] == org_code_checksum(org_body)
    assert credit_code_problem(code) is None


def test_make_credit_code_reproduces_a_published_code():
    assert make_credit_code(division="440300", org_body="70846113") == "91440300708461136T"
