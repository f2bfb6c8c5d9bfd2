"""How the admin shows a stored value, as a clerk of the city writes it.

Django's admin shows a date as 2026年5月1日 and an amount as 4336000. The policy division writes
dates in 和暦 with the weekday (令和8年5月1日（金）) and yen with separators (4,336,000円, △600円).
`ClerkDisplayMixin` gets this through the admin's documented hooks only: in the change list and among
the read-only fields of a change form, each date, date-time or yen field is shown through a display
callable (`@admin.display`, the way the admin documents for computed columns and read-only values)
that formats it; the column still sorts by the field, and every other value shows as Django shows it.

An account (決定者, 起案者, 記録者: a foreign key to the user model) is shown the same way by the
person's name, 「田中 美咲」, not by its user name (niimi_portal.lib.people.display_name), and a choice
of users on the admin's forms lists the persons' names (`formfield_for_foreignkey` and
`formfield_for_manytomany` give such a field `PersonChoiceField`, whose `label_from_instance` is
overridden as Django documents); an account typed by its number (`raw_id_fields`) is named beside
the box by the person's name too (`PersonRawIdWidget`).
"""

import datetime

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.html import format_html

from niimi_portal.lib import wareki
from niimi_portal.lib.money import yen
from niimi_portal.lib.people import PersonChoiceField, PersonMultipleChoiceField, display_name, is_user_field

WEEKDAYS = "月火水木金土日"


def wareki_with_weekday(day):
    """2026-05-01 → 令和8年5月1日（金）."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    return f"{wareki.wareki_date(day)}（{WEEKDAYS[day.weekday()]}）"


def is_money(field):
    """An amount in yen: an integer field whose name says 円 (金額（円）, 予算（円）, 人口割 単価（円／人）)."""
    return isinstance(field, models.IntegerField) and "円" in str(field.verbose_name)


def shown_by_clerk(field):
    """Whether the admin shows this model field the clerk's way: a date, a date-time, an amount in
    yen or an account (by the person's name), unless it has choices (then its label is shown, as
    Django shows it)."""
    if is_user_field(field):
        return not field.many_to_many
    if field.choices:
        return False
    return isinstance(field, models.DateField) or is_money(field)


def clerk_text(field, value):
    """The value of `field` as a clerk writes it; never called with an empty value."""
    if is_user_field(field):
        return display_name(value)
    if isinstance(field, models.DateTimeField):
        local = timezone.template_localtime(value)
        return f"{wareki_with_weekday(local)} {local:%H:%M}"
    if isinstance(field, models.DateField):
        return wareki_with_weekday(value)
    return yen(value)


def field_at(model, path):
    """The model field at the end of a list_display / readonly_fields name such as `decided_on` or
    `decision__decided_on`, or None when the name is not a path of concrete fields."""
    field = None
    for part in path.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if field.auto_created and not field.concrete:
            return None
        model = field.related_model
    return field


class PersonRawIdWidget(ForeignKeyRawIdWidget):
    """The admin's box for an account's number (`raw_id_fields`), with the person's name beside it
    where Django writes the account's user name."""

    def label_and_url_for_value(self, value):
        label, url = super().label_and_url_for_value(value)
        if label:
            key = self.rel.get_related_field().name
            label = display_name(self.rel.model._default_manager.using(self.db).get(**{key: value}))
        return label, url


class ClerkDisplayMixin:
    """On a ModelAdmin or an inline: dates in 和暦 with the weekday and amounts in yen, in the change list
    and among the read-only fields. Put it first among the bases, so that the names it replaces are
    the names every other part of the admin class has added."""

    def clerk_display(self, name):
        """`name` itself, or the display callable that shows that field the clerk's way. The callable
        is made once per admin object, so the form's fields, the fieldsets and the read-only fields
        all name the same object."""
        if not isinstance(name, str):
            return name
        displays = self.__dict__.setdefault("_clerk_displays", {})
        if name not in displays:
            field = field_at(self.model, name)
            display = self._make_clerk_display(name, field) if field and shown_by_clerk(field) else name
            # setdefault: two requests at once still end up naming one and the same callable.
            displays.setdefault(name, display)
        return displays[name]

    def _make_clerk_display(self, name, field):
        model_admin = self
        parts = name.split("__")
        nowrap = isinstance(field, models.DateField)

        @admin.display(description=field.verbose_name, ordering=name)
        def show(obj):
            value = obj
            for part in parts:
                value = getattr(value, part, None)
                if value is None:
                    break
            if value is None or value in field.empty_values:
                return model_admin.get_empty_value_display()
            text = clerk_text(field, value)
            return format_html('<span class="nowrap">{}</span>', text) if nowrap else text

        # The column and the read-only row keep the field's CSS class (column-<name>, field-<name>)
        # and, in a change form, the field's help text, which the admin finds by this name.
        show.__name__ = name
        show.__qualname__ = name
        return show

    def clerk_displays(self, names):
        return [self.clerk_display(name) for name in names]

    # -- a choice of users on a form --------------------------------------------------------------

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if is_user_field(db_field):
            kwargs.setdefault("form_class", PersonChoiceField)
            if db_field.name in self.raw_id_fields and "widget" not in kwargs:
                kwargs["widget"] = PersonRawIdWidget(db_field.remote_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if is_user_field(db_field):
            kwargs.setdefault("form_class", PersonMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # -- the change list ------------------------------------------------------------------------

    def get_list_display(self, request):
        names = super().get_list_display(request)
        editable = set(self.list_editable)
        return [name if name in editable else self.clerk_display(name) for name in names]

    def get_list_select_related(self, request):
        """The joins Django would make: with `list_select_related = False` the change list joins each
        foreign key that is a column, which it no longer sees once the column of an account is named
        by its display callable; this names those foreign keys, as Django would."""
        select = super().get_list_select_related(request)
        if select is not False:
            return select
        joined = []
        for name in super().get_list_display(request):
            field = field_at(self.model, name) if isinstance(name, str) and "__" not in name else None
            if field is not None and (field.many_to_one or field.one_to_one) and name != field.attname:
                joined.append(name)
        return joined or False

    def get_sortable_by(self, request):
        return self.clerk_displays(super().get_sortable_by(request))

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        if not links:
            return links
        return [link if link in list_display else self.clerk_display(link) for link in links]

    # -- read-only fields on a change form ------------------------------------------------------

    def get_readonly_fields(self, request, obj=None):
        return self.clerk_displays(super().get_readonly_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        """The fieldsets with each read-only field that the clerk reads differently named by its
        display callable, as `get_readonly_fields` names it."""
        fieldsets = super().get_fieldsets(request, obj)
        readonly = set(self.get_readonly_fields(request, obj))
        if self.shows_every_field_read_only(request, obj):
            readonly |= set(self.clerk_displays(flatten_fieldsets(fieldsets)))

        def shown(name):
            display = self.clerk_display(name)
            return display if display in readonly else name

        return [
            (title, {**options, "fields": [shown_line(line, shown) for line in options["fields"]]})
            for title, options in fieldsets
        ]

    def shows_every_field_read_only(self, request, obj):
        """A change form for someone who may only view the object: the admin shows every field
        read-only (and builds the form without them)."""
        return isinstance(self, admin.ModelAdmin) and obj is not None and not self.has_change_permission(request, obj)


def shown_line(line, shown):
    """A fieldset's line is a name or a tuple of names shown side by side."""
    if isinstance(line, (list, tuple)):
        return type(line)(shown(name) for name in line)
    return shown(line)
