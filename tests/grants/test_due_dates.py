"""納付期限 a city would accept: never on 土日, a 祝日 or 年末年始, and computed from the request date (the
period of 20 days and 年末年始 as 12/29–1/3 are assumptions the city must confirm)."""

import datetime

import pytest
from django.urls import reverse

from grants import services, settlement
from grants.admin_year import RefundForm
from grants.models import GrantRefund
from niimi_portal.lib.workdays import is_working_day

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    ("demanded_on", "due_on"),
    [
        (D(2026, 10, 14), D(2026, 11, 4)),  # 20 days later is 11/3 文化の日
        (D(2026, 11, 16), D(2026, 12, 7)),  # 20 days later is a Sunday
        (D(2026, 12, 9), D(2027, 1, 4)),  # 20 days later is 12/29, and 12/29–1/3 are skipped
        (D(2027, 4, 27), D(2027, 5, 17)),  # a working day stays
    ],
)
def test_the_default_due_date_moves_off_holidays_sundays_and_the_new_year(demanded_on, due_on):
    assert settlement.default_due_date(demanded_on) == due_on


TODAY = D(2026, 10, 14)


def form(data, today=TODAY):
    """The refund form as the admin builds it on a POST: its suggestion computed from `today`."""
    initial = {"demanded_on": today, "due_on": settlement.default_due_date(today)}
    return RefundForm(data, initial=initial)


def test_a_suggested_due_date_left_as_it_was_follows_the_submitted_request_date():
    bound = form({"demanded_on": "2026-11-16", "due_on": "2026-11-04", "initial-due_on": "2026-11-04"})
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["due_on"] == D(2026, 12, 7)


def test_a_blank_due_date_is_computed_from_the_request_date():
    bound = form({"demanded_on": "2026-12-09", "due_on": "", "initial-due_on": "2026-11-04"})
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["due_on"] == D(2027, 1, 4)


def test_a_due_date_the_clerk_typed_is_kept():
    bound = form({"demanded_on": "2026-11-16", "due_on": "2026-12-25", "initial-due_on": "2026-11-04"})
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["due_on"] == D(2026, 12, 25)


def test_the_form_gives_the_browser_the_closed_weekdays_and_the_period():
    field = str(form(None)["due_on"])
    assert 'data-follows="demanded_on"' in field and 'data-period="20"' in field
    assert "2026-11-03" in field and "2026-12-29" in field and "2026-12-06" not in field  # 土日 the browser knows
    assert 'name="initial-due_on"' in field


@pytest.fixture
def revoked(decision, decided_on, policy_officer):
    """The decision, 1,000,000円 paid, then revoked: the whole payment is to be paid back."""
    payment = settlement.payment_claim(decision=decision, claimed_on=decided_on, amount=1_000_000)
    settlement.payment_pay(payment=payment, paid_on=decided_on)
    settlement.decision_revoke(decision=decision, revoked_on=D(2026, 10, 14), reason="事業の中止", scope="whole")
    return decision


def test_the_refund_page_derives_the_due_date_from_the_request_date(clerk, revoked):
    url = reverse("admin:grants_grantdecision_refund", args=[revoked.pk])
    suggested = settlement.default_due_date(services.today()).isoformat()
    assert f'value="{suggested}"' in clerk.get(url).content.decode()
    response = clerk.post(url, {"demanded_on": "2026-11-16", "due_on": suggested, "initial-due_on": suggested})
    assert response.status_code == 302
    refund = GrantRefund.objects.get(decision=revoked)
    assert (refund.demanded_on, refund.due_on) == (D(2026, 11, 16), D(2026, 12, 7))
    assert is_working_day(refund.due_on)


def test_a_due_date_typed_on_a_closed_day_is_refused_beside_the_field(clerk, revoked):
    url = reverse("admin:grants_grantdecision_refund", args=[revoked.pk])
    response = clerk.post(url, {"demanded_on": "2026-11-16", "due_on": "2026-12-30", "initial-due_on": "2026-11-04"})
    html = response.content.decode()
    assert 'id="id_due_on_error"' in html
    assert (
        "納付期限が土日・祝日・年末年始（令和8年12月30日）です。開庁日（例えば令和9年1月4日）にしてください。" in html
    )
    assert not GrantRefund.objects.exists()
