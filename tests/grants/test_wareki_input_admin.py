"""The admin's date fields read 和暦, say the format they want and refuse in Japanese beside the field."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from grants.applications import GrantApplication
from niimi_portal.lib.wareki import INPUT_HINT
from tests.grants.test_admin_applications import inline

pytestmark = pytest.mark.django_db


def application_data(approved, current_year, projects, received_on):
    return {
        "organization": approved.pk,
        "fiscal_year": current_year.pk,
        "received_on": received_on,
        "requested_amount": "800000",
        "annual_plan": projects[0].annual_plan_id,
        "notes": "",
        **inline("lines", [{"category": "project", "project": projects[0].pk, "amount": "800000", "order": "0"}]),
        **inline("attachments", []),
    }


def test_an_admin_form_saves_a_date_typed_in_wareki(clerk, approved, current_year, projects):
    data = application_data(approved, current_year, projects, "令和8年4月12日")
    response = clerk.post(reverse("admin:grants_grantapplication_add"), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert GrantApplication.objects.get().received_on == datetime.date(2026, 4, 12)


def test_an_admin_form_refuses_a_day_before_the_era_in_japanese(clerk, approved, current_year, projects):
    data = application_data(approved, current_year, projects, "令和1年4月30日")
    response = clerk.post(reverse("admin:grants_grantapplication_add"), data)
    assert response.status_code == 200 and not GrantApplication.objects.exists()
    errors = response.context["adminform"].form.errors["received_on"]
    assert "令和は令和元年5月1日（2019年5月1日）からです。" in errors[0]
    page = html.unescape(response.content.decode())
    # Django's admin puts the field's errors in the field's own row, right above the input.
    assert re.search(
        r'<ul class="errorlist"[^>]*><li>「令和1年4月30日」という日はありません。.*?id="id_received_on"', page, re.S
    )


def test_the_admin_page_shows_the_format_it_wants(clerk):
    page = html.unescape(clerk.get(reverse("admin:grants_grantapplication_add")).content.decode())
    field = re.search(r'<input[^>]*name="received_on"[^>]*>', page).group(0)
    assert 'placeholder="例: 令和8年4月12日"' in field and 'autocomplete="off"' in field
    assert 'class="vDateField' in field  # Django's calendar stays beside the box
    assert INPUT_HINT in page
