"""CSV injection: every export (the workspace meeting list, the admin organization list, the open data)
writes a cell a spreadsheet would run as a formula as text, through the one writer in
niimi_portal.lib.csv_export. The workspace meeting export had no guard before."""

import csv
import io

import pytest
from django.urls import reverse

from niimi_portal.lib.csv_export import safe_cell
from staff.models import Meeting

pytestmark = pytest.mark.django_db

# Each text starts with a character Excel or LibreOffice would take as the start of a formula.
DANGEROUS = ['=HYPERLINK("http://example.invalid","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def read_csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:], newline="")))


@pytest.mark.parametrize("text", DANGEROUS, ids=["equals", "plus", "minus", "at", "tab", "carriage-return"])
def test_a_place_typed_as_a_formula_stays_text_in_the_workspace_meeting_csv(
    client, assigned_liaison, organization, current_year, text
):
    Meeting.objects.create(
        organization=organization, kind="board", date=current_year.starts_on, place=text, author=assigned_liaison
    )
    client.force_login(assigned_liaison)
    header, row = read_csv(client.get(reverse("staff:meeting_export")))
    assert row[header.index("場所")] == "'" + text
    assert row[header.index("場所")] == safe_cell(text)


@pytest.mark.parametrize("text", DANGEROUS, ids=["equals", "plus", "minus", "at", "tab", "carriage-return"])
def test_the_same_text_is_guarded_alike_in_every_export(
    client, policy_officer, assigned_liaison, organization, current_year, text
):
    """The workspace CSV, the admin CSV and the open data CSV write the same cell for the same text."""
    organization.name = text
    organization.save()
    Meeting.objects.create(
        organization=organization, kind="board", date=current_year.starts_on, place=text, author=assigned_liaison
    )
    client.force_login(assigned_liaison)
    header, row = read_csv(client.get(reverse("staff:meeting_export")))
    workspace = row[header.index("場所")]
    client.force_login(policy_officer)
    header, row = read_csv(client.get("/admin/organizations/organization/export/"))
    admin = row[header.index("名称")]
    header, row = read_csv(client.get("/open-data/organizations.csv"))
    open_data = row[header.index("名称")]
    assert workspace == admin == open_data == "'" + text


def test_numbers_stay_numbers_and_the_negative_ones_too():
    assert safe_cell(-600) == "-600"
    assert safe_cell("-600") == "'-600"
