"""Audit history on top of django-simple-history: `record_change` for every state change, and the
read-only history in the admin.

django-simple-history keeps a row per save with who, when and the reason, and the admin shows
each change as "before → after". Out of the box its admin also lets anyone who may view the
history "revert" an object by posting a past version back: that would bypass the approval
workflow and rewrite money, so here every past version can be looked at and nothing else.
"""

import datetime

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import ManyToManyField
from django.http import HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin
from simple_history.exceptions import NotHistoricalModelError
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_history_model_for_model

from niimi_portal.lib.admin_display import ClerkDisplayMixin
from niimi_portal.lib.wareki import wareki_date

REASON_FIELD = "history_change_reason"


def record_change(obj, *, by, reason=None):
    """Mark the next save of `obj` in its history with who made it and why. The reason is cut to fit
    its column (100 characters unless the model keeps it as text), so a long reason typed by a clerk
    never makes the database refuse the save. Returns `obj`."""
    obj._history_user = by
    if reason is not None:
        obj._change_reason = fit_reason(type(obj), reason)
    return obj


def reason_max_length(model):
    """The length the history's reason column holds for `model`, or None when it is unbounded."""
    try:
        history_model = get_history_model_for_model(model)
    except NotHistoricalModelError:
        return None
    return history_model._meta.get_field(REASON_FIELD).max_length


def fit_reason(model, reason):
    max_length = reason_max_length(model)
    return reason[:max_length] if max_length else reason


class HistoryReasonForm(forms.ModelForm):
    """Any admin form, plus an optional reason that is written into the history record of the save."""

    history_change_reason = forms.CharField(
        label="変更の理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="入力すると、変更履歴に「理由」として残ります。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        max_length = reason_max_length(self._meta.model)
        if max_length:
            field = self.fields[REASON_FIELD]
            field.max_length = max_length
            field.validators.append(MaxLengthValidator(max_length))
            field.widget.attrs["maxlength"] = str(max_length)


class JapaneseDeltaHelper(HistoricalRecordContextHelper):
    """Show a change as people read it: choice labels, 和暦 dates, 「（空欄）」 for nothing."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if not isinstance(field, ManyToManyField) and field.choices:
            return dict(field.flatchoices).get(value, value)
        value = super().prepare_delta_change_value(change, value)
        if value is None or value == "" or value == []:
            return "（空欄）"
        if isinstance(value, bool):
            return "はい" if value else "いいえ"
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return wareki_date(value)
        return value


class ReadOnlyHistoryAdmin(ClerkDisplayMixin, SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history can be read, never reverted or edited, with a reason field on the
    form; dates and amounts read as a clerk writes them (ClerkDisplayMixin)."""

    form = HistoryReasonForm
    object_history_template = "admin/history/object_history.html"
    object_history_list_template = "admin/history/object_history_list.html"
    object_history_form_template = "admin/history/object_history_form.html"

    def revert_disabled(self, request, obj=None):
        return True

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_view_title(self, request, obj):
        return f"変更履歴: {obj}"

    def history_form_view_title(self, request, obj):
        return f"過去の内容（閲覧のみ）: {obj}"

    def get_historical_record_context_helper(self, request, historical_record):
        return JapaneseDeltaHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        request._viewing_history = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    # A past version is shown with every field read-only and without the reason box.

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if getattr(request, "_viewing_history", False):
            opts = self.model._meta
            editable = [f.name for f in [*opts.fields, *opts.many_to_many] if f.editable and not f.primary_key]
            readonly += [name for name in self.clerk_displays(editable) if name not in readonly]
        return readonly

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if getattr(request, "_viewing_history", False):
            return [f for f in fields if f != REASON_FIELD]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not getattr(request, "_viewing_history", False):
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != REASON_FIELD]})
            for name, options in fieldsets
        ]

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get(REASON_FIELD, "").strip()
        if reason:
            obj._change_reason = fit_reason(type(obj), reason)
        super().save_model(request, obj, form, change)
