"""Date input as the city's clerks type it: 和暦 or Western, in half- or full-width characters.

`WarekiDateField` is the form field: it reads 令和8年4月12日, R8.4.12, 2026/4/12 or 2026-04-12 (see
`wareki.parse_date`), says in Japanese beside the field what it could not read, and carries the format it
wants as help text and placeholder. `WarekiDateInput` is a plain text input that shows a stored date in 和暦.

`DateField` is the model field every app uses instead of `models.DateField`: its `formfield()` (Django's
documented hook) gives `WarekiDateField`, so every ModelForm, the admin's add and change pages and the
workspace forms read 和暦 without each form saying so. In the admin it keeps Django's calendar widget, whose
calendar writes and reads a Western date (2026-04-12); typing 和暦 in the same box works too. The field is
stored exactly as Django's DateField (`deconstruct()` names Django's class), so no migration follows.

Why a text input and not `<input type="date">`: a browser's date input submits only ISO dates and
refuses typed 和暦, which is what a clerk reads on paper. The text input keeps the keyboard (and a phone's
ordinary keyboard, on which 令和 and R can be typed) and turns off the browser's autocomplete.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from niimi_portal.lib import wareki

PLACEHOLDER = "例: 令和8年4月12日"


class WarekiDateInput(forms.DateInput):
    """A text input that shows a stored date as 令和8年4月12日 and what it is given back as typed."""

    input_type = "text"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return wareki.wareki_date(value)
        return super().format_value(value)


class WarekiDateField(forms.DateField):
    """A date typed in 和暦 or Western form; errors in Japanese, the accepted forms as help text."""

    widget = WarekiDateInput

    def __init__(self, *, help_text="", **kwargs):
        hint = f"{help_text}（{wareki.INPUT_HINT}）" if help_text else wareki.INPUT_HINT
        super().__init__(help_text=hint, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return wareki.parse_date(str(value))
        except wareki.WarekiParseError as error:
            raise ValidationError(str(error), code="invalid") from None

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if not widget.is_hidden:
            attrs.update({"placeholder": PLACEHOLDER, "autocomplete": "off", "size": "16"})
        return attrs


class DateField(models.DateField):
    """Django's DateField whose forms read 和暦 (see the module's note)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WarekiDateField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateField", args, kwargs
