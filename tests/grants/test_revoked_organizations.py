"""An organization whose 認可 is revoked leaves the year's calculation: not in the 算定結果's total, not
offered for a 交付決定, not counted as 算定済 on the dashboard. A partial 取消 shows in the decision's status
and the dashboard counts it."""

import pytest
from django.urls import reverse

from grants import services, settlement
from grants.calculation import calculate_year
from niimi_portal.dashboard import grant_status
from organizations import services as organization_services


@pytest.fixture
def two_calculations(approved, other_approved, current_year, policy_officer):
    run = services.grant_calculate_year(fiscal_year=current_year, by=policy_officer)
    return {calc.organization_id: calc for calc in run.saved}


def revoke(organization, by):
    organization_services.organization_revoke(organization=organization, by=by, reason="活動の停止")


def test_a_revoked_organization_is_left_out_of_the_years_calculation(
    clerk, two_calculations, approved, other_approved, current_year, policy_officer
):
    revoke(approved, policy_officer)
    assert [grant.organization for grant in calculate_year(current_year).grants] == [other_approved]
    kept = two_calculations[other_approved.pk]
    page = clerk.get(reverse("admin:grants_fiscalyear_grants", args=[current_year.pk])).text
    assert f"算定結果（1組織、合計 {kept.total:,}円）" in page
    assert "認可取消のため合計に含めていません" in page


def test_a_revoked_organization_is_not_offered_for_a_decision(
    clerk, two_calculations, approved, other_approved, current_year, policy_officer
):
    revoke(approved, policy_officer)
    page = clerk.get(reverse("admin:grants_fiscalyear_decide", args=[current_year.pk])).text
    assert f'name="choose_{two_calculations[other_approved.pk].pk}"' in page
    assert f'name="choose_{two_calculations[approved.pk].pk}"' not in page


def test_the_dashboard_does_not_count_a_revoked_organizations_calculation(
    two_calculations, approved, other_approved, current_year, policy_officer
):
    revoke(approved, policy_officer)
    undecided = grant_status(current_year)["rows"][0]
    assert (undecided["count"], undecided["amount"]) == (1, two_calculations[other_approved.pk].total)


def test_a_partial_revocation_shows_in_the_status_and_on_the_dashboard(clerk, decision, decided_on, current_year):
    settlement.decision_revoke(
        decision=decision, revoked_on=decided_on, reason="一部事業の中止", scope="part", amount=182_000
    )
    decision.refresh_from_db()
    assert decision.status_label == "交付決定（一部取消）"
    rows = {row["label"]: row for row in grant_status(current_year)["rows"]}
    assert (rows["うち一部取消"]["count"], rows["うち一部取消"]["amount"]) == (1, 182_000)
    page = clerk.get(reverse("admin:grants_fiscalyear_grants", args=[current_year.pk])).text
    assert "交付決定（一部取消）" in page
    page = clerk.get(reverse("admin:grants_grantdecision_change", args=[decision.pk])).text
    assert "一部取消" in page
