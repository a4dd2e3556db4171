"""Validation of the unified social credit code (统一社会信用代码, GB 32100-2015).

Pure functions: no ORM, no settings; the problems are worded in the active language. The
code has 18 characters: the registering authority (1), the kind of organisation (1), the
administrative division (6 digits), the organisation code (9) and a check character
computed over the first 17.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_LENGTH = 18


def normalise_credit_code(value: str) -> str:
    """Return the code upper-cased with surrounding and inner blanks removed."""
    return "".join(str(value).split()).upper()


def credit_code_check_char(body: str) -> str:
    """Return the check character for the first 17 characters of a credit code."""
    total = sum(
        CREDIT_CODE_CHARSET.index(char) * weight
        for char, weight in zip(body, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def credit_code_problem(value: str) -> str | None:
    """Return why a (normalised) credit code is invalid, or None when it is valid."""
    if len(value) != CREDIT_CODE_LENGTH:
        return _("统一社会信用代码应为18位，实际为%(length)s位") % {"length": len(value)}
    bad = sorted({char for char in value if char not in CREDIT_CODE_CHARSET})
    if bad:
        return _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）") % {
            "chars": pgettext("list separator", "、").join(bad)
        }
    if not value[2:8].isdigit():
        return _("统一社会信用代码第3至8位应为行政区划代码（数字）")
    expected = credit_code_check_char(value[:17])
    if value[17] != expected:
        return _("统一社会信用代码校验位错误：第18位应为 %(expected)s，实际为 %(actual)s") % {
            "expected": expected,
            "actual": value[17],
        }
    return None


def validate_credit_code(value: str) -> None:
    """Raise ValidationError when the value is not a valid unified social credit code."""
    problem = credit_code_problem(normalise_credit_code(value))
    if problem:
        raise ValidationError(problem, code="credit_code")
