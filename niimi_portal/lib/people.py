"""People by their names: an account shows as 「田中 美咲」, never as its user name 「officer-たなか」.

The user name stays the login; it is not what others see. Django shows an account through `str(user)`
(the user name), and this module does not change that (no monkeypatching of the user model). Each
place that shows an account asks for the person's name through a public hook instead:

- the admin's change lists and read-only fields: `niimi_portal.lib.admin_display.ClerkDisplayMixin`
  shows a foreign key to the user model through an `@admin.display` callable that returns
  `display_name` (the same documented hook it uses for 和暦 dates and yen);
- a choice of users on a form: `PersonChoiceField` / `PersonMultipleChoiceField`, which override
  `label_from_instance`, as Django documents for ModelChoiceField; the admin mixin gives them to every
  foreign key and many-to-many field to the user model (`form_class` of `Field.formfield()`);
- templates: the `|person` filter (niimi_portal.templatetags.portal), used for the history's 変更した人.

A proxy model of auth.User with its own `__str__` was weighed and not chosen: every foreign key
points at auth.User, so related objects are still plain users and would show their user names;
only querysets built on the proxy would change, which is a subset of what the hooks above cover.
simple-history's `history_user_getter` / `history_user_setter` say where the user of a record is
stored and fetched, not how it is shown, so the history pages (the project's own templates under
templates/admin/history) use `|person`, and a past version's fields go through the admin mixin.
"""

from django import forms
from django.contrib.auth import get_user_model


def display_name(user):
    """The person's name as stored (family name first), or the user name when no name is stored."""
    if user is None:
        return ""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


def is_user_field(field):
    """Whether a model field is a relation to the user model (決定者, 起案者, 記録者 …)."""
    return bool(getattr(field, "is_relation", False)) and field.related_model is get_user_model()


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of one user, each listed by the person's name."""

    def label_from_instance(self, obj):
        return display_name(obj)


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several users, each listed by the person's name."""

    def label_from_instance(self, obj):
        return display_name(obj)
