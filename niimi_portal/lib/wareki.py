"""和暦: one helper for every date and fiscal year the portal shows (pages and PDF notices)."""

import datetime

from django.utils import timezone

# (first day of the era, name), newest first.
ERAS = (
    (datetime.date(2019, 5, 1), "令和"),
    (datetime.date(1989, 1, 8), "平成"),
    (datetime.date(1926, 12, 25), "昭和"),
    (datetime.date(1912, 7, 30), "大正"),
)


def era_year(day):
    """Return (era name, year in that era as text) for a date; the first year reads 元."""
    for start, name in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return name, "元" if year == 1 else str(year)
    return "", str(day.year)


def wareki_date(day):
    """2019-05-01 → 令和元年5月1日."""
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = day.date()
    name, year = era_year(day)
    return f"{name}{year}年{day.month}月{day.day}日"


def fiscal_year_label(year):
    """The fiscal year starting on April 1 of `year`: 2026 → 令和8年度, 2019 → 令和元年度."""
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        return f"{year}年度"  # a date typed as January of year 1 falls in fiscal year 0, which no date can hold
    name, era = era_year(datetime.date(year, 4, 1) if year != 2019 else datetime.date(2019, 5, 1))
    return f"{name}{era}年度"


def fiscal_year_of(day):
    """The fiscal year (by its starting calendar year) a date falls in: Japan's runs April to March."""
    return day.year if day.month >= 4 else day.year - 1


def default_grace_until(year):
    """4月30日 of the fiscal year starting in `year`: the default end of last year's grace period (the
    last day a liaison may still write last year's records), unless the clerk set another day."""
    return datetime.date(year, 4, 30)


def current_fiscal_year():
    """The fiscal year (its starting calendar year) today falls in: the one spelling of "this 年度"."""
    return fiscal_year_of(timezone.localdate())


def wareki_month(day):
    """2026-05-10 → 令和8年5月 (a month heading, e.g. on the 予定 page)."""
    name, year = era_year(day)
    return f"{name}{year}年{day.month}月"
