"""The offices' working days: deadlines move off 土日, 祝日 and 年末年始 (12/29–1/3)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from niimi_portal.lib.workdays import deadline_after, is_working_day, next_working_day, working_days_after

D = datetime.date
days = st.dates(min_value=D(2020, 1, 1), max_value=D(2040, 12, 31))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 11, 3), D(2026, 11, 4)),  # 文化の日 (Tuesday) → Wednesday
        (D(2026, 5, 3), D(2026, 5, 7)),  # 憲法記念日 (Sunday), みどりの日, こどもの日, 振替休日 → Thursday
        (D(2026, 9, 21), D(2026, 9, 24)),  # 敬老の日, 国民の休日, 秋分の日 → Thursday
        (D(2026, 12, 6), D(2026, 12, 7)),  # a Sunday → Monday
        (D(2026, 12, 5), D(2026, 12, 7)),  # a Saturday → Monday
        (D(2026, 12, 28), D(2026, 12, 28)),  # the last working day of the year stays
        (D(2026, 12, 29), D(2027, 1, 4)),  # 年末年始 → the first working day of January
        (D(2027, 1, 3), D(2027, 1, 4)),
        (D(2027, 1, 1), D(2027, 1, 4)),  # 元日, inside 年末年始
        (D(2027, 12, 31), D(2028, 1, 4)),  # 年末年始, then 1/4 a Tuesday
    ],
)
def test_a_closed_day_moves_to_the_next_working_day(day, expected):
    assert next_working_day(day) == expected


def test_a_deadline_computed_onto_a_holiday_or_a_sunday_moves_to_the_next_working_day():
    assert deadline_after(D(2026, 10, 14), 20) == D(2026, 11, 4)  # 11/3 文化の日
    assert deadline_after(D(2026, 11, 16), 20) == D(2026, 12, 7)  # 12/6 a Sunday
    assert deadline_after(D(2026, 12, 10), 20) == D(2027, 1, 4)  # 12/30, 年末年始


@given(days)
def test_next_working_day_is_a_working_day_on_or_after_the_day(day):
    result = next_working_day(day)
    assert result >= day and is_working_day(result)
    assert result.weekday() < 5
    assert not (result.month == 12 and result.day >= 29) and not (result.month == 1 and result.day <= 3)


@given(days)
def test_no_working_day_is_skipped(day):
    result = next_working_day(day)
    between = (day + datetime.timedelta(days=offset) for offset in range((result - day).days))
    assert not any(is_working_day(skipped) for skipped in between)


@given(days)
def test_a_working_day_is_its_own_next_working_day(day):
    assert (next_working_day(day) == day) == is_working_day(day)


@given(days, st.integers(min_value=1, max_value=60))
def test_a_deadline_is_the_first_working_day_on_or_after_the_period(day, period):
    due = deadline_after(day, period)
    assert is_working_day(due) and due >= day + datetime.timedelta(days=period)
    assert due == next_working_day(day + datetime.timedelta(days=period))


@given(days, st.integers(min_value=1, max_value=40))
def test_working_days_after_counts_only_working_days(day, count):
    result = working_days_after(day, count)
    span = [day + datetime.timedelta(days=offset) for offset in range(1, (result - day).days + 1)]
    assert sum(is_working_day(d) for d in span) == count and is_working_day(result)


def test_working_days_after_needs_at_least_one_day():
    with pytest.raises(ValueError):
        working_days_after(D(2026, 12, 1), 0)
