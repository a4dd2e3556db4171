"""Unified social credit codes (GB 32100-2015) for the demo enterprises.

The code is 18 characters: registration authority (1), organization type (1), administrative
division (6), organization code (9, itself ending in a GB 11714 check character) and a check
character computed over the first 17 with weights 3^i mod 31.
"""

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def credit_code_checksum(body: str) -> str:
    """Return the check character of the 17-character body of a credit code."""
    if len(body) != 17 or any(ch not in CHARSET for ch in body):
        raise ValueError(f"not a credit-code body: {body!r}")
    total = sum(CHARSET.index(ch) * weight for ch, weight in zip(body, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def org_code_checksum(body: str) -> str:
    """Return the GB 11714 check character of an 8-character organization code body."""
    total = sum(int(ch, 36) * weight for ch, weight in zip(body, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def is_valid_credit_code(code: str) -> bool:
    """Whether code is 18 characters of the GB 32100 alphabet with a correct check character."""
    if len(code) != 18 or any(ch not in CHARSET for ch in code):
        return False
    return credit_code_checksum(code[:17]) == code[17]


def make_credit_code(*, division: str, org_body: str) -> str:
    """Return a valid credit code of an enterprise (9 1) in a division, from an org-code body."""
    body = "91" + division + org_body + org_code_checksum(org_body)
    return body + credit_code_checksum(body)
