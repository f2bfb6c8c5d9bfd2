"""{{ field|kept_field }}: crispy's HTML for a public form field, rendered once per value, choices and errors."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms

from niimi_portal.templatetags import portal
from organizations.public_forms import OrganizationFilterForm


def test_the_html_is_crispys_for_each_value_and_error():
    for data in ({}, {"stage": "2"}, {"stage": "9"}, {"stage": "3", "approval": "preparing"}, {"approval": "x"}):
        for name in ("stage", "approval"):
            form = OrganizationFilterForm(data or None)
            assert portal.kept_field(form[name]) == as_crispy_field(OrganizationFilterForm(data or None)[name])
    assert "一覧にある段階を選んでください。" in portal.kept_field(OrganizationFilterForm({"stage": "9"})["stage"])
    assert "一覧にある段階を選んでください。" not in portal.kept_field(OrganizationFilterForm({"stage": "2"})["stage"])


def test_choices_read_per_request_are_part_of_what_is_kept():
    class YearForm(forms.Form):
        year = forms.ChoiceField(choices=[])

    first, second = YearForm(), YearForm()
    first.fields["year"].choices = [("2025", "令和7年度")]
    second.fields["year"].choices = [("2026", "令和8年度")]
    assert "令和7年度" in portal.kept_field(first["year"])
    assert "令和8年度" in portal.kept_field(second["year"]) and "令和7年度" not in portal.kept_field(second["year"])


def test_no_more_than_a_bounded_number_of_fields_are_kept(monkeypatch):
    monkeypatch.setattr(portal, "FIELDS_KEPT", 3)
    for stage in ("1", "2", "3", "4", "5"):
        portal.kept_field(OrganizationFilterForm({"stage": stage})["stage"])
    assert len(portal._FIELDS) <= 3
