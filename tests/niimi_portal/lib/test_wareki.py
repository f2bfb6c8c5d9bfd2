import datetime

import pytest

from niimi_portal.lib.wareki import WarekiParseError, fiscal_year_label, fiscal_year_of, parse_date, wareki_date


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


@pytest.mark.parametrize(
    "typed",
    [
        "2026-04-12",
        "2026/4/12",
        "2026年4月12日",
        "令和8年4月12日",
        "令和８年４月１２日",
        "R8.4.12",
        "r8.4.12",
        "Ｒ８．４．１２",
        "令8.4.12",
        "R08/04/12",
        " 令和 8年 4月 12日 ",
    ],
)
def test_parse_date_reads_every_form_a_clerk_types(typed):
    assert parse_date(typed) == datetime.date(2026, 4, 12)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("令和元年5月1日", datetime.date(2019, 5, 1)),
        ("R1.5.1", datetime.date(2019, 5, 1)),
        ("平成31年4月30日", datetime.date(2019, 4, 30)),
        ("H31.4.30", datetime.date(2019, 4, 30)),
        ("平成元年1月8日", datetime.date(1989, 1, 8)),
        ("S64.1.7", datetime.date(1989, 1, 7)),
    ],
)
def test_parse_date_at_the_era_boundaries(typed, expected):
    assert parse_date(typed) == expected
    assert parse_date(wareki_date(expected)) == expected  # what the portal shows reads back


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("令和8年2月30日", "「令和8年2月30日」という日はありません。月と日を確かめてください。"),
        ("2026-02-30", "「2026-02-30」という日はありません。"),
        ("令和1年4月30日", "令和は令和元年5月1日（2019年5月1日）から"),
        ("令和元年4月30日", "令和は令和元年5月1日（2019年5月1日）から"),
        ("平成31年5月1日", "平成は平成元年1月8日（1989年1月8日）から平成31年4月30日までです。"),
        ("R0.1.1", "令和の年は元年（1年）からです。"),
        ("", "日付は「令和8年4月12日、R8.4.12、2026/4/12」のように入力してください。"),
        ("あした", "のように入力してください。"),
        ("X8.4.12", "のように入力してください。"),
        ("2026-4", "のように入力してください。"),
    ],
)
def test_parse_date_refuses_days_that_do_not_exist_in_japanese(typed, message):
    with pytest.raises(WarekiParseError) as refused:
        parse_date(typed)
    assert message in str(refused.value)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("2025", "令和7年"),
        ("2019", "令和元年"),
        ("2019年4月", "平成31年4月"),
        ("2019年5月", "令和元年5月"),
        ("2026年11月", "令和8年11月"),
        ("4月12日", "4月12日"),
        ("すべての日付", "すべての日付"),
    ],
)
def test_the_admin_date_hierarchy_headings_read_in_wareki(title, expected):
    from niimi_portal.lib.wareki import wareki_heading

    assert wareki_heading(title) == expected
