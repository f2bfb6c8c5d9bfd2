"""The 「デモ用のデータ」 checkbox in the admin: on every form of a model that has the flag, and, where
the admin lists no fields of its own, after the model's other fields (the flag is inherited from the
abstract DemoFlag, which Django would list first)."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.urls import reverse

from grants.models import (
    DocumentSeries,
    GrantConditions,
    GrantRule,
    IntegratedSubsidy,
    PayeeAccount,
    SubsidyAllocation,
)
from niimi_portal.lib.demo_flag import DEMO_FIELD, DEMO_LABEL
from organizations.models import CaseStudy, Notice, Region, RegionStatistic, SitePage
from staff.models import LiaisonOfficer

pytestmark = pytest.mark.django_db

# The admins that list no `fields` or `fieldsets`: Django's order, with the flag moved last.
WITHOUT_OWN_FIELDS = [
    Region,
    RegionStatistic,
    CaseStudy,
    Notice,
    SitePage,
    LiaisonOfficer,
    DocumentSeries,
    GrantConditions,
    GrantRule,
    IntegratedSubsidy,
    SubsidyAllocation,
    PayeeAccount,
]
NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')


def flagged_admins():
    """(model, its ModelAdmin) of every model in the admin that has the demo flag."""
    return [
        (model, admin.site.get_model_admin(model))
        for model in apps.get_models()
        if admin.site.is_registered(model) and has_flag(model)
    ]


def has_flag(model):
    return any(field.name == DEMO_FIELD for field in model._meta.get_fields())


def model_fields_in_order(html, model, prefix=""):
    """The names of `model`'s fields in the form controls of `html`, in page order (`prefix`: an inline's)."""
    names = {field.name for field in model._meta.get_fields()}
    found = [name.removeprefix(prefix) for name in NAME.findall(html) if name.startswith(prefix)]
    return [name for name in dict.fromkeys(found) if name in names]


def test_the_admins_without_their_own_fields_are_all_the_flagged_ones_that_list_none():
    listing_none = {
        model for model, model_admin in flagged_admins() if not model_admin.fields and not model_admin.fieldsets
    }
    assert listing_none == set(WITHOUT_OWN_FIELDS)


@pytest.mark.parametrize("model", WITHOUT_OWN_FIELDS, ids=lambda model: model.__name__)
def test_the_demo_checkbox_comes_after_the_models_other_fields_on_the_add_page(clerk, model):
    response = clerk.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
    assert response.status_code == 200
    html = response.content.decode()
    fields = model_fields_in_order(html.split('<div class="js-inline-admin-formset')[0], model)
    assert len(fields) > 1, fields
    assert fields[-1] == DEMO_FIELD, fields
    assert DEMO_LABEL in html


def test_the_demo_checkbox_comes_last_in_the_area_pages_figures_too(clerk):
    html = clerk.get(reverse("admin:organizations_region_add")).content.decode()
    prefix = re.search(r'name="([\w-]+-)__prefix__-population"', html).group(1) + "__prefix__-"
    fields = model_fields_in_order(html, RegionStatistic, prefix)
    assert fields[-1] == DEMO_FIELD, fields
    assert "population" in fields


def test_the_history_reason_still_follows_the_demo_checkbox(clerk):
    html = clerk.get(reverse("admin:grants_grantrule_add")).content.decode()
    names = NAME.findall(html)
    assert names.index(DEMO_FIELD) < names.index("history_change_reason")


def test_every_admin_of_a_flagged_model_shows_the_flag_on_its_forms(rf, policy_officer, superuser, demo):
    assert len({model for model, _ in flagged_admins()}) == 17
    for model, model_admin in flagged_admins():
        existing = model.objects.first()
        for user in (policy_officer, superuser):
            request = rf.get("/admin/")
            request.user = user
            for obj in (None, existing):
                fields = flatten_fieldsets(model_admin.get_fieldsets(request, obj))
                assert DEMO_FIELD in fields, (model.__name__, obj)
                assert fields.count(DEMO_FIELD) == 1, (model.__name__, obj)
