"""個人情報の一覧: every field that may hold personal data is described (or said not to be), and the page in
docs/ is the one the inventory writes."""

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models

from niimi_portal import personal_data

PROJECT_APPS = ("organizations", "staff", "grants", "offices", "library", "outbox", "niimi_portal")


def _may_be_personal(field):
    if isinstance(field, models.EmailField | models.FileField | models.GenericIPAddressField):
        return True
    if field.is_relation and field.related_model is not None:
        target = field.related_model  # a "app.Model" string on a field not yet bound to a model
        return (target if isinstance(target, str) else target._meta.label) == settings.AUTH_USER_MODEL
    return bool(personal_data.MAY_BE_PERSONAL.search(field.name))


def _fields_that_may_be_personal():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS and model is not user_model:
            continue
        if model.__name__.startswith("Historical"):
            continue  # the change history holds its model's fields, for the model's period
        for field in model._meta.get_fields():
            if field.concrete and not field.auto_created and _may_be_personal(field):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_field_that_may_be_personal_is_described_or_said_not_to_be():
    undescribed = _fields_that_may_be_personal() - personal_data.described_fields() - set(personal_data.NOT_PERSONAL)
    assert not undescribed, f"add these to niimi_portal/personal_data.py (FILES or NOT_PERSONAL): {sorted(undescribed)}"


def test_the_inventory_names_only_fields_that_exist():
    for key in personal_data.described_fields() | set(personal_data.NOT_PERSONAL):
        app_label, model_name, field_name = key.split(".")
        apps.get_model(app_label, model_name)._meta.get_field(field_name)  # raises for a renamed field


def test_a_new_personal_field_would_be_caught():
    """The check itself: a telephone field on a model would be flagged."""
    field = models.CharField(name="mobile_phone")
    assert _may_be_personal(field)
    assert _may_be_personal(models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, name="checked_by"))


def test_each_file_states_purpose_users_publication_and_retention():
    for personal_file in personal_data.FILES:
        for value in (personal_file.purpose, personal_file.who_sees, personal_file.published, personal_file.retention):
            assert value.strip(), personal_file.name


def test_the_page_in_docs_is_up_to_date():
    call_command("personal_data_inventory", "--check")
