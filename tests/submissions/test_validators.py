"""Unified social credit code (GB 32100-2015), checked against hand-computed check characters."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from submissions.validators import (
    credit_code_check_char,
    credit_code_problem,
    normalise_credit_code,
    validate_credit_code,
)

# Weights 3^(i-1) mod 31: 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28; letters count
# A=10 … H=17, J=18 … N=22, P=23 … R=25, T=26, U=27, W=28, X=29, Y=30 (no I O Z S V).
# 91350100M000100Y4 (the standard's example): 9+3+27+135+0+26+0+0+420+0+0+0+8+0+0+900+112
#   = 1640; 1640 mod 31 = 28; 31 - 28 = 3.
# 91330106MA2AB1C2X: 9+3+27+81+0+26+0+102+420+290+50+130+88+24+120+60+812 = 2242;
#   2242 mod 31 = 10; 31 - 10 = 21 -> M.
# 00000000000000000: sum 0; (31 - 0) mod 31 = 0 -> 0.


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("91350100M000100Y4", "3"),
        ("91330106MA2AB1C2X", "M"),
        ("00000000000000000", "0"),
    ],
)
def test_credit_code_check_char_matches_hand_computation(body, expected):
    assert credit_code_check_char(body) == expected


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91330106MA2AB1C2XM", "000000000000000000"])
def test_credit_code_problem_none_for_valid_codes(code):
    assert credit_code_problem(code) is None


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91350100M000100Y4", "统一社会信用代码应为18位，实际为17位"),
        ("91350100M000100Y431", "统一社会信用代码应为18位，实际为19位"),
        (
            "91350100M000100I43",
            "统一社会信用代码含有不允许的字符：I（不使用 I、O、Z、S、V）",
        ),
        ("9135010AM000100Y43", "统一社会信用代码第3至8位应为行政区划代码（数字）"),
        (
            "91350100M000100Y44",
            "统一社会信用代码校验位错误：第18位应为 3，实际为 4",
        ),
    ],
)
def test_credit_code_problem_names_the_fault(code, problem):
    assert credit_code_problem(code) == problem


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        (
            "91350100M000100Y4",
            "A unified social credit code has 18 characters; this one has 17",
        ),
        (
            "91350100M0001OOI43",
            "The unified social credit code contains characters that are not allowed: I, O "
            "(I, O, Z, S and V are not used)",
        ),
        (
            "91350100M000100Y44",
            "Wrong check character in the unified social credit code: the 18th character "
            "should be 3, not 4",
        ),
    ],
)
def test_credit_code_problem_in_english(english_catalogue, code, problem):
    with translation.override("en"):
        assert credit_code_problem(code) == problem


def test_normalise_credit_code_removes_blanks_and_upper_cases():
    assert normalise_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert normalise_credit_code("91350100 M000100 Y43") == "91350100M000100Y43"


def test_validate_credit_code_raises_for_bad_checksum():
    with pytest.raises(ValidationError) as info:
        validate_credit_code("91330106MA2AB1C2X0")
    assert info.value.messages == ["统一社会信用代码校验位错误：第18位应为 M，实际为 0"]


def test_validate_credit_code_accepts_lower_case_input():
    assert validate_credit_code("91330106ma2ab1c2xm") is None
