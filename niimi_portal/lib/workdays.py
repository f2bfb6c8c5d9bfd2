"""The city offices' working days (開庁日), for deadlines a city would accept: a 納付期限 or any other
deadline never falls on a Saturday, a Sunday, a 国民の祝日 (with 振替休日 and 国民の休日) or 年末年始.

The 祝日 come from jpholiday, a maintained, dependency-free library that follows 国民の祝日に関する法律
(振替休日, 国民の休日 and the changes of the law); python-holidays would do as well but pins
python-dateutil below 3, which the portal's other packages have moved past.

年末年始 as 12月29日～1月3日 is the closing of 行政機関の休日に関する法律 and of most cities' 休日条例:
an assumption the city must confirm against its own 条例 (as must each deadline's period, which the
callers name).
"""

import datetime

import jpholiday

YEAR_END_FIRST = (12, 29)  # 年末年始: 12月29日から
NEW_YEAR_LAST = (1, 3)  # 1月3日まで (assumption: the city's 休日条例)
ONE_DAY = datetime.timedelta(days=1)


def is_year_end(day):
    """Whether `day` falls in 年末年始 (12月29日～1月3日)."""
    return (day.month, day.day) >= YEAR_END_FIRST or (day.month, day.day) <= NEW_YEAR_LAST


def is_working_day(day):
    """Whether the city offices are open on `day`: not 土日, not a 祝日, not 年末年始."""
    return day.weekday() < 5 and not is_year_end(day) and not jpholiday.is_holiday(day)


def next_working_day(day):
    """`day` when it is a working day, else the first working day after it: a deadline that falls on a
    day the offices are closed moves to the next day they are open (as 民法第142条 has a period end)."""
    while not is_working_day(day):
        day += ONE_DAY
    return day


def deadline_after(day, days):
    """The deadline `days` calendar days after `day`, moved to the next working day when it falls on a
    closed day (the usual way a 納付期限 of 「請求日から20日以内」 is set)."""
    return next_working_day(day + datetime.timedelta(days=days))


def working_days_after(day, count):
    """The `count`-th working day after `day` (count ≥ 1), for a deadline counted in working days."""
    if count < 1:
        raise ValueError("count must be at least 1")
    for _ in range(count):
        day = next_working_day(day + ONE_DAY)
    return day


def closed_weekdays(first, last):
    """The days from `first` to `last` that are weekdays yet closed (祝日 and 年末年始), in order."""
    days = (first + datetime.timedelta(days=offset) for offset in range((last - first).days + 1))
    return [day for day in days if day.weekday() < 5 and not is_working_day(day)]
