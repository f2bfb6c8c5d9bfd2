import pytest

from niimi_portal.lib.money import yen, yen_formal, yen_number


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(0, "0円"), (600, "600円"), (4336000, "4,336,000円"), (-600, "△600円"), (-1234567, "△1,234,567円"), (None, "－")],
)
def test_yen_writes_separators_and_a_triangle_for_negatives(amount, expected):
    assert yen(amount) == expected


def test_yen_number_and_formal_forms():
    assert yen_number(-1000) == "△1,000"
    assert yen_number(-1000, negative="-") == "-1,000"
    assert yen_formal(4816000) == "金4,816,000円"
