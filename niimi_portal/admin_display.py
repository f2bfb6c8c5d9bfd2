"""How the admin shows a stored value, as a clerk of the city writes it.

Django's admin shows a date as 2026年5月1日 and an amount as 4336000. The policy division writes
dates in 和暦 with the weekday (令和8年5月1日（金）) and yen with separators (4,336,000円, △600円).
`install()` wraps Django's `display_for_field` where the admin's lists and read-only fields call it;
every other value shows as Django shows it.
"""

import datetime

from django.contrib.admin import helpers, utils
from django.contrib.admin.templatetags import admin_list
from django.db import models
from django.utils import timezone

from niimi_portal.lib import wareki
from niimi_portal.lib.money import yen

WEEKDAYS = "月火水木金土日"

_django_display_for_field = utils.display_for_field


def wareki_with_weekday(day):
    """2026-05-01 → 令和8年5月1日（金）."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    return f"{wareki.wareki_date(day)}（{WEEKDAYS[day.weekday()]}）"


def is_money(field):
    """An amount in yen: an integer field whose name says 円 (金額（円）, 予算（円）, 人口割 単価（円／人）)."""
    return isinstance(field, models.IntegerField) and "円" in str(field.verbose_name)


def display_for_field(value, field, empty_value_display, avoid_link=False):
    if value is not None and value not in field.empty_values and not getattr(field, "flatchoices", None):
        if isinstance(field, models.DateTimeField):
            local = timezone.template_localtime(value)
            return f"{wareki_with_weekday(local)} {local:%H:%M}"
        if isinstance(field, models.DateField):
            return wareki_with_weekday(value)
        if is_money(field):
            return yen(value)
    return _django_display_for_field(value, field, empty_value_display, avoid_link)


def install():
    admin_list.display_for_field = display_for_field
    helpers.display_for_field = display_for_field
