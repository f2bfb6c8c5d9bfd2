"""What the fuzzing found, each pinned by a plain test (the display switch's `next=0` is in
tests/niimi_portal/test_site_pages.py, next to the switch's other tests)."""

import pytest
from django.urls import reverse

from grants.admin_forms import MAX_YEN
from staff.forms import MAX_NEXT_STEPS
from tests.helpers import Client, approve_drafts
from tests.security.permission_matrix import meeting_data
from tests.security.world import database_state, state_changes

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def meeting_create_url(world):
    return reverse("staff:meeting_create", kwargs={"kind": "organization", "slug": world.organization.slug})


def test_a_meeting_dated_january_of_year_one_is_refused_in_japanese(world):
    """Its fiscal year is 0, which no date can hold: labelling it raised ValueError (a 500)."""
    client = logged_in(world.users["assigned_liaison"])
    before = database_state()
    response = client.post(meeting_create_url(world), meeting_data(world, date="0001-01-15", status="held"))
    assert response.status_code == 200
    assert "0年度は過去の年度のため、記録・変更できません" in response.content.decode()
    assert state_changes(before, database_state()) == []


@pytest.mark.parametrize("total", ["1001", "99999999999"])
def test_a_forged_next_step_count_builds_at_most_the_cap_of_forms(world, total):
    """TOTAL_FORMS=99999999999 made the page build and render 2,000 forms (13 s, 3 MB) per request."""
    client = logged_in(world.users["assigned_liaison"])
    before = database_state()
    response = client.post(meeting_create_url(world), meeting_data(world, **{"steps-TOTAL_FORMS": total}))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'name="steps-{MAX_NEXT_STEPS - 1}-description"' in page
    assert f'name="steps-{MAX_NEXT_STEPS}-description"' not in page
    assert f"最大で {MAX_NEXT_STEPS} 個のフォームを送信してください。" in page
    assert state_changes(before, database_state()) == []


@pytest.fixture
def projects(world):
    from organizations.models import AnnualPlan, PlannedProject

    plan = AnnualPlan.objects.create(organization=world.organization, fiscal_year=world.fiscal_year)
    return [PlannedProject.objects.create(annual_plan=plan, field="elderly", name="見守り訪問", budget=800_000)]


@pytest.mark.parametrize("amount", [str(MAX_YEN + 1), "9223372036854775808", "1" + "0" * 30])
@pytest.mark.parametrize(
    ("step", "field"), [("change_amount", "amount"), ("report", "project"), ("settle", "settled_amount")]
)
def test_an_amount_beyond_the_database_column_is_refused_beside_its_field(world, projects, step, field, amount):
    """Such an amount reached the database: OverflowError on SQLite, DataError on PostgreSQL (a 500)."""
    from grants import services

    if step == "settle":
        services.decision_report(decision=world.decision, reported_on=world.today, spending={projects[0]: 1})
    field = f"project_{projects[0].pk}" if field == "project" else field
    data = {
        "amount": "1",
        "reason": "減額",
        "changed_on": world.today.isoformat(),
        "reported_on": world.today.isoformat(),
        f"project_{projects[0].pk}": "1",
        "settled_amount": "1",
        "settled_on": world.today.isoformat(),
        field: amount,
    }
    client = logged_in(world.users["policy_officer"])
    before = database_state()
    response = client.post(reverse(f"admin:grants_grantdecision_{step}", args=[world.decision.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["この値は 2147483647 以下でなければなりません。"]
    assert state_changes(before, database_state()) == []


def test_a_long_reason_for_changing_a_grant_is_kept_whole_on_the_decision(world):
    """The history's reason (varchar 100) got the whole text: PostgreSQL refused the save (a 500)."""
    reason = "事業の一部中止のため。" * 30
    before = world.decision.amount
    client = logged_in(world.users["policy_officer"])
    response = client.post(
        reverse("admin:grants_grantdecision_change_amount", args=[world.decision.pk]),
        {"amount": "1000", "reason": reason, "changed_on": world.today.isoformat()},
    )
    assert response.status_code == 302
    approve_drafts(pk__gt=world.draft.pk)  # the change takes effect on 決裁
    world.decision.refresh_from_db()
    assert (world.decision.amount, world.decision.change_reason) == (1000, reason)
    latest = world.decision.history.first()
    assert latest.history_change_reason.startswith(f"変更交付決定（{before:,}円 → 1,000円）: 事業の一部中止")
    assert len(latest.history_change_reason) == 100
