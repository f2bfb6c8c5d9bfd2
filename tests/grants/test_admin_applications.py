"""交付申請 in the admin: entered with its 収支予算 and the scanned 申請書, its requirements shown, the
decision page linking back to it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grants import services
from grants.applications import GrantApplication
from tests.staff.conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def inline(prefix, rows):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def empty_application(organization, year, **fields):
    """The add form's data for an application of `organization` in `year` with no lines and no scans."""
    return {
        "organization": organization.pk,
        "fiscal_year": year.pk,
        "received_on": "2026-04-10",
        "requested_amount": "0",
        **inline("lines", []),
        **inline("attachments", []),
        **fields,
    }


def test_policy_officer_enters_an_application_with_its_budget_and_scan(
    client, policy_officer, approved, projects, current_year
):
    client.force_login(policy_officer)
    data = {
        "organization": approved.pk,
        "fiscal_year": current_year.pk,
        "received_on": "2026-04-10",
        "requested_amount": "1900000",
        "annual_plan": projects[0].annual_plan_id,
        "notes": "",
        "attachments": SimpleUploadedFile("申請書.pdf", pdf_bytes(), content_type="application/pdf"),
        **inline(
            "lines",
            [
                {"category": "personnel", "label": "賃金", "amount": "600000", "order": "0"},
                {"category": "project", "project": projects[0].pk, "amount": "800000", "order": "1"},
                {"category": "project", "project": projects[1].pk, "amount": "500000", "order": "2"},
                {"category": "other_income", "label": "会費", "amount": "0", "order": "3"},
            ],
        ),
        **inline("attachments", []),
    }
    response = client.post(reverse("admin:grants_grantapplication_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    application = GrantApplication.objects.get()
    assert (application.recorded_by, application.lines.count(), application.expenses) == (policy_officer, 4, 1_900_000)
    (scan,) = application.attachments.all()
    download = client.get(reverse("admin:grants_grantapplication_attachment", args=[application.pk, scan.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    page = client.get(reverse("admin:grants_grantapplication_change", args=[application.pk])).content.decode()
    assert "受付日に認可されている" in page and "満たしていない" not in page
    assert "差引（収入 − 支出）" in page


def test_a_disguised_scan_is_refused_and_nothing_is_attached(client, policy_officer, approved, current_year):
    client.force_login(policy_officer)
    data = empty_application(
        approved,
        current_year,
        attachments=SimpleUploadedFile("申請書.pdf", b"<html>not a pdf</html>", content_type="application/pdf"),
    )
    response = client.post(reverse("admin:grants_grantapplication_add"), data)
    assert response.status_code == 200
    assert "申請書.pdf" in response.context["adminform"].form.errors["attachments"][0]
    assert not GrantApplication.objects.exists()


def test_the_decision_page_links_its_application_and_the_plan_budget(
    client, policy_officer, approved, projects, current_year
):
    application = GrantApplication.objects.create(
        organization=approved,
        fiscal_year=current_year,
        received_on=datetime.date(2026, 4, 10),
        requested_amount=3_182_000,
        annual_plan=projects[0].annual_plan,
    )
    (calc,) = services.grant_calculate_year(fiscal_year=current_year).saved
    decision = services.decision_decide(calculation=calc, decided_on=datetime.date(2026, 4, 20))
    client.force_login(policy_officer)
    page = client.get(reverse("admin:grants_grantdecision_change", args=[decision.pk])).content.decode()
    assert reverse("admin:grants_grantapplication_change", args=[application.pk]) in page
    # 3,182,000 decided − 1,300,000 planned = 1,882,000
    assert "年度計画の事業費の予算 1,300,000円（交付決定額との差 1,882,000円）" in page


def test_the_plan_offered_and_accepted_is_the_organizations_own(
    client, policy_officer, approved, other_approved, projects, current_year
):
    own = projects[0].annual_plan
    others = other_approved.annual_plans.create(fiscal_year=current_year)
    client.force_login(policy_officer)
    data = empty_application(approved, current_year, annual_plan=others.pk, notes="")
    response = client.post(reverse("admin:grants_grantapplication_add"), data)
    assert response.status_code == 200 and "annual_plan" in response.context["adminform"].form.errors
    response = client.post(reverse("admin:grants_grantapplication_add"), {**data, "annual_plan": own.pk})
    assert response.status_code == 302
    application = GrantApplication.objects.get()
    page = client.get(reverse("admin:grants_grantapplication_change", args=[application.pk]))
    assert list(page.context["adminform"].form.fields["annual_plan"].queryset) == [own]
