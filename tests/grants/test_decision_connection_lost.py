"""交付決定 on the admin's review page when the database connection is killed mid-request (PostgreSQL
restarting): no decision and no number of the 文書番号簿 is kept, the clerk gets the Japanese 503 page, and the
same decision made again right after takes the numbers the lost one would have taken."""

import datetime

import pytest
from django.urls import reverse

from grants import services
from grants.applications import application_record
from grants.categories import BudgetCategory
from grants.models import DocumentNumber, GrantDecision
from tests.connection_loss import connection_lost_at, wsgi_get
from tests.helpers import Client, approve_decision

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def pending(approved, other_approved, current_year):
    """Two calculated organizations, each with a 交付申請."""
    for organization in (approved, other_approved):
        application_record(
            organization=organization,
            fiscal_year=current_year,
            received_on=datetime.date(2026, 4, 10),
            requested_amount=1_000,
            budget=[(BudgetCategory.OPERATING, None, "運営", 1_000)],
        )
    return services.grant_calculate_year(fiscal_year=current_year).saved


def kept():
    return {
        "decisions": GrantDecision.objects.count(),
        "decision_history": GrantDecision.history.count(),
        "numbers": list(DocumentNumber.objects.values_list("text", flat=True)),
    }


@pytest.mark.parametrize(
    ("statement", "occurrence"),
    [
        ('INSERT INTO "grants_documentnumber"', 1),  # the first number being taken
        ('UPDATE "grants_documentnumber"', 1),  # the first decision saved, its number being linked to it
        ('INSERT INTO "grants_documentnumber"', 2),  # the first organization decided whole, the second starting
    ],
)
def test_a_decision_cut_off_takes_no_number_and_the_next_request_works(
    policy_officer, pending, current_year, notice_settings, statement, occurrence
):
    client = Client(raise_request_exception=False)
    client.force_login(policy_officer)
    url = reverse("admin:grants_fiscalyear_decide", args=[current_year.pk])
    data = {"step": "decide", "decided_on": "2026-04-20"}
    for calculation in pending:
        data |= {f"choose_{calculation.pk}": "on", f"number_{calculation.pk}": ""}
    before = kept()

    with connection_lost_at(statement, occurrence) as killer:
        response = client.post(url, data)

    assert killer.fired and killer.inside_transaction
    assert response.status_code == 503
    assert "ただいまご利用いただけません" in response.content.decode()
    assert kept() == before == {"decisions": 0, "decision_history": 0, "numbers": []}

    assert wsgi_get("/healthz") == (200, '{"status": "ok", "database": "ok"}')
    again = client.post(url, data)
    assert again.status_code == 302
    # Each decision's register line waits for its 決裁 (「番号は決裁の後」); the cut-off attempt consumed nothing,
    # so the 決裁 give 新総政第1号 and 第2号.
    lines = DocumentNumber.objects.filter(decision__isnull=False)
    assert [(line.status, line.number, line.text) for line in lines] == [("reserved", None, "")] * 2
    for decision in GrantDecision.objects.order_by("pk"):
        approve_decision(decision)
    assert sorted(GrantDecision.objects.values_list("document_number", flat=True)) == ["新総政第1号", "新総政第2号"]
    assert sorted(DocumentNumber.objects.filter(decision__isnull=False).values_list("text", flat=True)) == [
        "新総政第1号",
        "新総政第2号",
    ]
