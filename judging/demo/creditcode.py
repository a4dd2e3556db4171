"""Unified social credit codes (GB 32100-2015) for the demo enterprises.

A code is 18 characters: registration authority (1), organization type (1), administrative
division (6), organization code (9, ending in a GB 11714 check character) and the GB 32100
check character over the first 17, which submissions.validators computes and verifies.
"""

from submissions.validators import credit_code_check_char

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_checksum(body: str) -> str:
    """Return the GB 11714 check character of an 8-character organization code body."""
    total = sum(int(ch, 36) * weight for ch, weight in zip(body, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_credit_code(*, division: str, org_body: str) -> str:
    """Return a valid credit code of an enterprise (9 1) in a division, from an org-code body."""
    body = "91" + division + org_body + org_code_checksum(org_body)
    return body + credit_code_check_char(body)
