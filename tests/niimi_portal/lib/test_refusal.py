"""The one refusal type: a service raises ValidationError({field: [message]}); the form shows it beside the field."""

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from niimi_portal.lib.refusal import add_refusal, refuse


class StepForm(forms.Form):
    decided_on = forms.DateField()


def refused(*args, **kwargs):
    with pytest.raises(ValidationError) as error:
        refuse(*args, **kwargs)
    return error.value


def test_a_refusal_names_its_field_or_the_whole_form():
    assert refused("日付が年度の外です。", field="decided_on").message_dict == {"decided_on": ["日付が年度の外です。"]}
    assert refused("すでにあります。").message_dict == {NON_FIELD_ERRORS: ["すでにあります。"]}
    assert refused(["一つ目。", "二つ目。"], field="attachments").message_dict == {
        "attachments": ["一つ目。", "二つ目。"]
    }


def test_the_message_goes_beside_its_field_and_a_field_the_form_lacks_goes_to_the_top():
    form = StepForm({"decided_on": "2026-05-01"})
    assert form.is_valid()
    add_refusal(form, ValidationError({"decided_on": ["年度の外です。"], "amount": ["多すぎます。"]}))
    assert form.errors == {"decided_on": ["年度の外です。"], NON_FIELD_ERRORS: ["多すぎます。"]}


def test_a_plain_message_goes_to_the_top_of_the_form():
    form = StepForm({"decided_on": "2026-05-01"})
    assert form.is_valid()
    add_refusal(form, ValidationError("権限がありません。"))
    assert form.non_field_errors() == ["権限がありません。"]
