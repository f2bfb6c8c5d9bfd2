"""和暦: one helper for every date and fiscal year the portal shows (pages and PDF notices)."""

import datetime
import re
import unicodedata

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


def wareki_heading(text):
    """A date-hierarchy heading of the admin in 和暦: 「2025」 → 「令和7年」, 「2019年4月」 → 「平成31年4月」;
    anything else (「4月12日」) as it is. A year alone takes the era it ends in (2019 → 令和元年)."""
    match = re.fullmatch(r"(\d{4})年?(?:(\d{1,2})月)?", str(text))
    if not match:
        return text
    year, month = int(match[1]), match[2]
    name, era = era_year(datetime.date(year, int(month), 1) if month else datetime.date(year, 12, 31))
    return f"{name}{era}年{month}月" if month else f"{name}{era}年"


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


# How a clerk may name an era when typing a date: the name, its first character, its Latin initial.
ERA_SPELLINGS = {
    spelling: name
    for _start, name in ERAS
    for spelling in (name, name[0], {"令和": "r", "平成": "h", "昭和": "s", "大正": "t"}[name])
}
INPUT_EXAMPLE = "令和8年4月12日、R8.4.12、2026/4/12"
INPUT_HINT = f"例: {INPUT_EXAMPLE}"
_WESTERN = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_JAPANESE = re.compile(r"([^\d元]+?)\.?(\d{1,2}|元)[./年](\d{1,2})[./月](\d{1,2})日?")


class WarekiParseError(ValueError):
    """A typed date that names no day; the message is what the clerk reads beside the field."""


def parse_date(text):
    """A date as a clerk types it: 2026-04-12, 2026/4/12, 2026年4月12日, 令和8年4月12日, 令和元年5月1日,
    R8.4.12, r8.4.12, 令8.4.12; full-width digits and letters count as half-width, spaces are ignored.
    An era year must fall inside its era: 令和1年4月30日 is refused, 令和 began on 2019-05-01."""
    normal = re.sub(r"\s", "", unicodedata.normalize("NFKC", text or ""))
    western = _WESTERN.fullmatch(normal)
    if western:
        return _day(*map(int, western.groups()), typed=text.strip())
    japanese = _JAPANESE.fullmatch(normal)
    if not japanese or japanese.group(1).lower() not in ERA_SPELLINGS:
        raise WarekiParseError(f"日付は「{INPUT_EXAMPLE}」のように入力してください。")
    spelled, year, month, day = japanese.groups()
    name = ERA_SPELLINGS[spelled.lower()]
    year = 1 if year == "元" else int(year)
    if year < 1:
        raise WarekiParseError(f"{name}の年は元年（1年）からです。")
    start, end = _era_span(name)
    result = _day(start.year + year - 1, int(month), int(day), typed=text.strip())
    if result < start or (end and result >= end):
        until = f"{wareki_date(end - datetime.timedelta(days=1))}まで" if end else ""
        raise WarekiParseError(
            f"「{text.strip()}」という日はありません。{name}は{wareki_date(start)}"
            f"（{start.year}年{start.month}月{start.day}日）から{until}です。"
        )
    return result


def _era_span(name):
    """(first day, first day of the next era or None) of an era."""
    starts = [start for start, _name in ERAS]
    index = [era for _start, era in ERAS].index(name)
    return starts[index], starts[index - 1] if index else None


def _day(year, month, day, *, typed):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise WarekiParseError(f"「{typed}」という日はありません。月と日を確かめてください。") from None
