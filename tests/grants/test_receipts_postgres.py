"""Clerks recording arrivals at the same moment, on PostgreSQL: 受付番号 consecutive, never doubled.

`_next_number` is slowed down so that, without the fiscal year's row lock, the clerks would all read the
same highest number (and the unique constraint would refuse all but one)."""

import datetime
import time

import pytest
from model_bakery import baker

from grants import receipts
from grants.applications import application_record
from grants.categories import BudgetCategory
from grants.models import Receipt
from organizations.models import Organization
from tests.grants.test_numbering_postgres import clerks

# serialized_rollback: every transactional test of the suite restores the migrated data (groups, settings) the
# same way, so none of them recreates content types under new ids that the next one's restore collides with.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def slow_numbering(monkeypatch):
    original = receipts._next_number

    def slow(year):
        number = original(year)
        time.sleep(0.05)  # the other clerks reach the same point meanwhile
        return number

    monkeypatch.setattr(receipts, "_next_number", slow)


def test_clerks_recording_applications_at_once_get_consecutive_numbers(current_year, slow_numbering):
    organizations = [
        baker.make(Organization, name=f"組織{i}", name_kana=f"そしき{i:02d}", slug=f"org-{i}") for i in range(6)
    ]

    def record(organization):
        return lambda: application_record(
            organization=organization,
            fiscal_year=current_year,
            received_on=datetime.date(2026, 4, 10),
            requested_amount=1_000,
            budget=[(BudgetCategory.OPERATING, None, "運営", 1_000)],
        )

    assert clerks(*(record(organization) for organization in organizations)) == []
    numbers = sorted(Receipt.objects.filter(year=2026).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]
