from django import template

from niimi_portal.lib import money, wareki

register = template.Library()


@register.filter
def wareki_date(value):
    """{{ day|wareki_date }} → 令和8年11月27日."""
    return wareki.wareki_date(value)


@register.filter
def fiscal_year_label(year):
    """{{ 2026|fiscal_year_label }} → 令和8年度."""
    return wareki.fiscal_year_label(int(year))


@register.filter
def yen(value):
    """{{ 1234000|yen }} → 1,234,000円, {{ -600|yen }} → △600円 (niimi_portal.lib.money); nothing for no value."""
    if value is None or value == "":
        return ""
    return money.yen(value)


@register.filter
def file_size(size):
    """{{ 122880|file_size }} → 120KB, as Japanese municipal sites label a link to a file: KB of 1,024
    bytes rounded up (never "0KB"), MB with one decimal from 1,024KB on."""
    kilobytes = -(-int(size) // 1024)
    return f"{kilobytes:,}KB" if kilobytes < 1024 else f"{int(size) / 1024**2:.1f}MB"
