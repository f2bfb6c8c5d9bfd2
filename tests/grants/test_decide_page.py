"""交付決定 in the admin, organization by organization: choose, see the numbers, confirm."""

import datetime

import pytest
from django.urls import reverse

from grants import services
from grants.applications import application_record
from grants.categories import BudgetCategory
from grants.models import GrantDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(approved, other_approved, current_year):
    """Two calculated organizations, each with a 交付申請 received on 2026-04-10."""
    for organization in (approved, other_approved):
        application_record(
            organization=organization,
            fiscal_year=current_year,
            received_on=datetime.date(2026, 4, 10),
            requested_amount=1_000,
            budget=[(BudgetCategory.OPERATING, None, "運営", 1_000)],
        )
    run = services.grant_calculate_year(fiscal_year=current_year)
    return {calc.organization.name: calc for calc in run.saved}


def url(year):
    return reverse("admin:grants_fiscalyear_decide", args=[year.pk])


def review(client, year, data):
    return client.post(url(year), {"step": "review", **data})


def test_choosing_one_of_two_decides_it_alone_under_the_number_shown(client, policy_officer, pending, current_year):
    client.force_login(policy_officer)
    takao = pending["高尾ふれあい協議会"]
    page = client.get(url(current_year)).content.decode()
    assert "唐松まちづくり協議会" in page and "高尾ふれあい協議会" in page
    data = {"decided_on": "2026-04-20", f"choose_{takao.pk}": "on", f"number_{takao.pk}": ""}
    confirm = review(client, current_year, data)
    shown = confirm.context["chosen_rows"]
    assert [(row["calculation"].organization.name, row["preview"]) for row in shown] == [
        ("高尾ふれあい協議会", "決裁待ち（番号は決裁の後）")
    ]
    assert not GrantDecision.objects.exists()  # the confirmation page writes nothing
    number = shown[0]["preview"]
    assert number in confirm.content.decode()
    response = client.post(url(current_year), {"step": "decide", **data}, follow=True)
    assert f"1組織の交付を決定しました（{number}）" in response.content.decode()
    (decision,) = GrantDecision.objects.all()
    assert (decision.organization.name, decision.document_number, decision.decided_by) == (
        "高尾ふれあい協議会",
        "",  # numbered on the 決裁 of its notice
        policy_officer,
    )
    assert not hasattr(
        pending["唐松まちづくり協議会"].__class__.objects.get(pk=pending["唐松まちづくり協議会"].pk), "decision"
    )


def test_a_typed_number_already_used_is_refused_beside_its_field(client, policy_officer, pending, current_year):
    karamatsu = pending["唐松まちづくり協議会"]
    used = services.decision_decide(
        calculation=pending["高尾ふれあい協議会"], decided_on=datetime.date(2026, 4, 20), document_number="1"
    )
    client.force_login(policy_officer)
    data = {
        "step": "decide",
        "decided_on": "2026-04-20",
        f"choose_{karamatsu.pk}": "on",
        f"number_{karamatsu.pk}": used.document_number,
    }
    response = client.post(url(current_year), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [f"number_{karamatsu.pk}"]
    assert (
        f"文書番号「{used.document_number}」は令和8年度の文書番号簿で使用済みです"
        in errors[f"number_{karamatsu.pk}"][0]
    )
    assert GrantDecision.objects.count() == 1


def test_a_typed_free_number_is_shown_and_taken(client, policy_officer, pending, current_year):
    karamatsu = pending["唐松まちづくり協議会"]
    client.force_login(policy_officer)
    data = {"decided_on": "2026-04-20", f"choose_{karamatsu.pk}": "on", f"number_{karamatsu.pk}": "新総政第40号"}
    assert "新総政第40号（紙の文書番号簿の番号）" in review(client, current_year, data).content.decode()
    client.post(url(current_year), {"step": "decide", **data})
    assert GrantDecision.objects.get().document_number == "新総政第40号"


def test_a_decision_dated_before_the_approval_is_refused_with_a_message_beside_the_date(
    client, policy_officer, pending, approved, current_year
):
    approved.approved_on = datetime.date(2026, 4, 1)
    approved.save()
    karamatsu = pending["唐松まちづくり協議会"]
    client.force_login(policy_officer)
    data = {"step": "decide", "decided_on": "2026-04-05", f"choose_{karamatsu.pk}": "on"}
    response = client.post(url(current_year), data)
    errors = response.context["form"].errors
    assert list(errors) == ["decided_on"]
    assert "認可されていません（認可日 令和8年4月1日）" not in errors["decided_on"][0]
    assert (
        errors["decided_on"][0]
        == "決定日は唐松まちづくり協議会の交付申請の受付日（令和8年4月10日）以降にしてください。"
    )
    approved.approved_on = datetime.date(2026, 4, 25)
    approved.save()
    response = client.post(url(current_year), {**data, "decided_on": "2026-04-20"})
    message = response.context["form"].errors["decided_on"][0]
    assert (
        "決定日（令和8年4月20日）の時点で唐松まちづくり協議会は認可されていません（認可日 令和8年4月25日）" in message
    )
    assert message in response.content.decode()
    assert not GrantDecision.objects.exists()


def test_choosing_nobody_or_an_organization_without_application_is_refused(
    client, policy_officer, pending, current_year
):
    karamatsu = pending["唐松まちづくり協議会"]
    karamatsu.organization.grant_applications.all().delete()
    client.force_login(policy_officer)
    nobody = client.post(url(current_year), {"step": "review", "decided_on": "2026-04-20"})
    assert "交付決定する組織を選んでください。" in nobody.content.decode()
    response = client.post(
        url(current_year), {"step": "decide", "decided_on": "2026-04-20", f"choose_{karamatsu.pk}": "on"}
    )
    assert (
        "唐松まちづくり協議会の令和8年度の交付申請が登録されていません。"
        in response.context["form"].errors[f"choose_{karamatsu.pk}"]
    )
    assert not GrantDecision.objects.exists()


def test_the_confirmation_needs_the_csrf_token(policy_officer, pending, current_year):
    from tests.helpers import Client

    takao = pending["高尾ふれあい協議会"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(policy_officer)
    response = client.post(
        url(current_year), {"step": "decide", "decided_on": "2026-04-20", f"choose_{takao.pk}": "on"}
    )
    assert response.status_code == 403
    assert not GrantDecision.objects.exists()


# -- refusals on the first screen, the default date, future dates ------------------------------------------


def first_screen(response):
    """The response is the choosing screen again (not the confirmation), with its form's errors."""
    assert response.status_code == 200 and not response.context["confirm"]
    assert not GrantDecision.objects.exists()
    return response.context["form"].errors


def test_a_decision_date_before_the_application_is_refused_beside_the_date_on_the_first_screen(
    client, policy_officer, pending, current_year
):
    client.force_login(policy_officer)
    takao = pending["高尾ふれあい協議会"]
    errors = first_screen(review(client, current_year, {"decided_on": "2026-04-05", f"choose_{takao.pk}": "on"}))
    assert "交付申請の受付日（令和8年4月10日）以降にしてください" in errors["decided_on"][0]


def test_missing_applications_are_refused_beside_each_row_on_the_first_screen(
    client, policy_officer, approved, other_approved, current_year
):
    calcs = services.grant_calculate_year(fiscal_year=current_year).saved
    client.force_login(policy_officer)
    data = {"decided_on": "2026-04-20", **{f"choose_{calc.pk}": "on" for calc in calcs}}
    errors = first_screen(review(client, current_year, data))
    for calc in calcs:  # both rows at once, not one after the other
        assert errors[f"choose_{calc.pk}"] == [f"{calc.organization.name}の令和8年度の交付申請が登録されていません。"]


def test_an_organization_no_longer_approved_is_refused_on_the_first_screen(
    client, policy_officer, pending, current_year
):
    karamatsu = pending["唐松まちづくり協議会"]
    karamatsu.organization.__class__.objects.filter(pk=karamatsu.organization_id).update(approval_status="returned")
    client.force_login(policy_officer)
    errors = first_screen(review(client, current_year, {"decided_on": "2026-04-20", f"choose_{karamatsu.pk}": "on"}))
    assert "唐松まちづくり協議会は認可されていないため、交付決定できません。" in errors[f"choose_{karamatsu.pk}"]


def test_the_default_decision_date_is_today_or_else_the_latest_application(pending, current_year):
    assert services.default_decision_date(current_year, as_of=datetime.date(2026, 5, 1)) == datetime.date(2026, 5, 1)
    # Deciding a past year (or one not begun): the latest 受付日, never a 4月1日 before every application.
    assert services.default_decision_date(current_year, as_of=datetime.date(2027, 6, 1)) == datetime.date(2026, 4, 10)
    assert services.default_decision_date(current_year, as_of=datetime.date(2026, 2, 1)) == datetime.date(2026, 4, 10)


def test_the_first_screen_offers_the_latest_application_date_after_the_year(
    client, policy_officer, pending, current_year, monkeypatch
):
    monkeypatch.setattr(services, "today", lambda: datetime.date(2027, 6, 1))
    client.force_login(policy_officer)
    page = client.get(url(current_year))
    assert page.context["form"]["decided_on"].value() == datetime.date(2026, 4, 10)


def test_a_future_decision_date_is_warned_of_on_the_confirmation(
    client, policy_officer, pending, current_year, monkeypatch
):
    monkeypatch.setattr(services, "today", lambda: datetime.date(2026, 4, 15))
    client.force_login(policy_officer)
    takao = pending["高尾ふれあい協議会"]
    confirm = review(client, current_year, {"decided_on": "2026-04-20", f"choose_{takao.pk}": "on"})
    assert confirm.context["confirm"]
    assert "決定日（令和8年4月20日）は今日（令和8年4月15日）より後の日付です" in confirm.content.decode()
    today = review(client, current_year, {"decided_on": "2026-04-15", f"choose_{takao.pk}": "on"})
    assert "より後の日付です" not in today.content.decode()
