"""Whole yen as the city writes them: thousands separators, △ for a negative amount."""

MINUS = "△"


def yen_number(amount, *, negative=MINUS):
    """`1,234,000`, `△600`; "－" for no amount. Money is whole yen (int), never float."""
    if amount is None:
        return "－"
    amount = int(amount)
    sign = negative if amount < 0 else ""
    return f"{sign}{abs(amount):,}"


def yen(amount, *, negative=MINUS):
    """`1,234,000円`, `△600円`; "－" for no amount."""
    if amount is None:
        return "－"
    return f"{yen_number(amount, negative=negative)}円"


def yen_formal(amount):
    """`金1,234,000円`: the form notices use for an amount that is granted, changed or returned."""
    return f"金{yen_number(amount)}円"
