"""The template filter `yen` is niimi_portal.lib.money.yen: one yen formatter, △ for a negative amount."""

from django.template import Context, Template

from grants.calculation import yen as calculation_yen
from niimi_portal.lib import money


def render(value):
    return Template("{% load portal %}{{ value|yen }}").render(Context({"value": value}))


def test_the_filter_writes_yen_as_the_city_does():
    assert render(1_234_000) == "1,234,000円"
    assert render(-600) == "△600円"
    assert render(0) == "0円"


def test_no_amount_shows_nothing_in_a_page():
    assert render(None) == ""
    assert render("") == ""


def test_the_calculation_basis_uses_the_same_formatter():
    assert calculation_yen is money.yen


def render_for_residents(value):
    return Template("{% load portal %}{{ value|yen_for_residents }}").render(Context({"value": value}))


def test_residents_read_a_decrease_in_words_not_as_the_city_s_triangle():
    assert render_for_residents(-900) == "900円少ない"
    assert render_for_residents(-1_200) == "1,200円少ない"
    assert render_for_residents(52_000) == "52,000円"
    assert render_for_residents(None) == ""
