import datetime

import pytest

from niimi_portal.lib.wareki import fiscal_year_label, fiscal_year_of, wareki_date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2019, 4, 30), "平成31年4月30日"),
        (datetime.date(2019, 5, 1), "令和元年5月1日"),
        (datetime.date(2020, 1, 1), "令和2年1月1日"),
        (datetime.date(2026, 11, 27), "令和8年11月27日"),
        (datetime.date(1989, 1, 7), "昭和64年1月7日"),
        (datetime.date(1989, 1, 8), "平成元年1月8日"),
    ],
)
def test_wareki_date_handles_era_boundaries(day, expected):
    assert wareki_date(day) == expected


@pytest.mark.parametrize(
    ("year", "expected"), [(2018, "平成30年度"), (2019, "令和元年度"), (2020, "令和2年度"), (2026, "令和8年度")]
)
def test_fiscal_year_label(year, expected):
    assert fiscal_year_label(year) == expected


@pytest.mark.parametrize(
    ("day", "year"),
    [(datetime.date(2026, 3, 31), 2025), (datetime.date(2026, 4, 1), 2026), (datetime.date(2027, 1, 5), 2026)],
)
def test_fiscal_year_runs_from_april_to_march(day, year):
    assert fiscal_year_of(day) == year


def test_the_fiscal_year_of_january_in_year_one_has_a_label():
    """A liaison may type 0001-01-15; its fiscal year 0 is outside what a date can hold (was a 500)."""
    assert fiscal_year_of(datetime.date(1, 1, 15)) == 0
    assert fiscal_year_label(0) == "0年度"
    assert fiscal_year_label(1) == "1年度"
