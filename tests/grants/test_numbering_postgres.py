"""Clerks taking numbers at the same moment, on PostgreSQL: numbers stay consecutive, never doubled,
whichever kinds of document they issue.

Each clerk is a thread with its own database connection. The register's `_next_number` is slowed down
so that, without the series' row lock, both clerks would read the same highest number."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from model_bakery import baker

from grants import register, services
from grants.models import DocumentKind, DocumentNumber, GrantCalculation, GrantDecision
from organizations.models import Organization, Region, RegionStatistic

# serialized_rollback: every transactional test of the suite restores the migrated data (groups, settings) the
# same way, so none of them recreates content types under new ids that the next one's restore collides with.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def slow_numbering(monkeypatch):
    original = register._next_number

    def slow(series, period):
        number = original(series, period)
        time.sleep(0.05)  # the other clerk reaches the same point meanwhile
        return number

    monkeypatch.setattr(register, "_next_number", slow)
    register.series_for(DocumentKind.DECISION)  # the series exists before the clerks start


def clerks(*jobs):
    """Run each job in its own thread (and connection), started together; return what they raised."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait(timeout=10)
            job()
        except Exception as error:  # noqa: BLE001 — collected and asserted by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.fixture
def calculations(rule, current_year, town):
    for i in range(10):
        region = baker.make(
            Region, kind="oaza", name=f"地区{i}", name_kana=f"ちく{i:02d}", slug=f"area-{i}", parent=town
        )
        RegionStatistic.objects.create(
            region=region, reference_date=current_year.statistics_reference_date, population=100 + i, households=50
        )
        organization = baker.make(
            Organization,
            name=f"組織{i}",
            name_kana=f"そしき{i:02d}",
            slug=f"org-{i}",
            approval_status="approved",
            approval_number=f"第{i}号",
            approved_on=datetime.date(2025, 4, 1),
        )
        organization.regions.set([region])
    services.grant_calculate_year(fiscal_year=current_year)
    return list(GrantCalculation.objects.order_by("organization__name_kana"))


def decided(calculation, day):
    """交付決定, then the 決裁 of its notice, which numbers it (grants.register.number_assign, as draft_approve)."""
    decision = services.decision_decide(calculation=calculation, decided_on=day)
    register.number_assign(entry=register.latest_entry(kind=DocumentKind.DECISION, decision=decision))
    decision.refresh_from_db()
    return decision


def settled(decision, day):
    """額の確定, then the 決裁 of its notice, which numbers it."""
    services.decision_settle(decision=decision, settled_on=day)
    register.number_assign(entry=register.latest_entry(kind=DocumentKind.SETTLEMENT, decision=decision))


def test_two_clerks_deciding_at_once_get_consecutive_numbers(calculations, decided_on, slow_numbering):
    assert connection.vendor == "postgresql"

    def decide(mine):
        return lambda: [decided(calc, decided_on) for calc in mine]

    errors = clerks(decide(calculations[0::2]), decide(calculations[1::2]))
    assert errors == []
    numbers = sorted(GrantDecision.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 11))
    documents = set(GrantDecision.objects.values_list("document_number", flat=True))
    assert documents == {f"新総政第{n}号" for n in range(1, 11)}


def test_two_clerks_deciding_the_same_organization_make_one_decision(calculations, decided_on, slow_numbering):
    calc = calculations[0]
    errors = clerks(*[lambda: decided(calc, decided_on)] * 2)
    assert [type(error) for error in errors] == [ValidationError]
    assert "交付決定はすでにあります" in errors[0].messages[0]
    assert list(GrantDecision.objects.values_list("number", flat=True)) == [1]


def test_settlements_and_decisions_at_once_share_the_series_without_doubles(calculations, decided_on, slow_numbering):
    first = decided(calculations[0], decided_on)
    plan = first.organization.annual_plans.create(fiscal_year=first.fiscal_year)
    project = plan.projects.create(field="other", name="事業", budget=1)
    services.decision_report(decision=first, reported_on=decided_on, spending={project: 1})
    errors = clerks(
        lambda: settled(first, decided_on),
        lambda: [decided(c, decided_on) for c in calculations[1:4]],
    )
    assert errors == []
    first.refresh_from_db()
    numbers = sorted([first.settlement_number, *GrantDecision.objects.values_list("number", flat=True)])
    assert numbers == list(range(1, 6))


def test_clerks_issuing_different_kinds_at_once_share_one_series_without_doubles(
    calculations, decided_on, slow_numbering
):
    """認可 (via the organizations' workflow's register call), 交付決定 and 返還 take numbers at once."""

    def take(kind, count):
        def job():
            for _ in range(count):
                register.number_take(kind=kind, day=decided_on, subject=str(kind))

        return job

    errors = clerks(
        take(DocumentKind.APPROVAL, 4),
        take(DocumentKind.REFUND, 4),
        lambda: [decided(calc, decided_on) for calc in calculations[:4]],
    )
    assert errors == []
    numbers = sorted(DocumentNumber.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 13))
    texts = list(DocumentNumber.objects.values_list("text", flat=True))
    assert len(set(texts)) == 12
    assert sorted(GrantDecision.objects.values_list("document_number", flat=True)) == sorted(
        DocumentNumber.objects.filter(kind="decision").values_list("text", flat=True)
    )


def test_two_clerks_typing_the_same_paper_number_record_it_once(calculations, decided_on, slow_numbering):
    job = lambda: register.number_take(kind=DocumentKind.REFUND, day=decided_on, subject="x", typed="新総政第50号")  # noqa: E731
    errors = clerks(job, job)
    assert len(errors) == 1 and "使用済み" in errors[0].message_dict["number"][0]
    assert list(DocumentNumber.objects.values_list("number", flat=True)) == [50]
