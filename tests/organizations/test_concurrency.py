"""Two clerks approve the same organization at the same moment: one approval is recorded, the other is told why not.

Runs on PostgreSQL, where `select_for_update` takes a real row lock (deselected on SQLite, see conftest).
"""

import threading

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

from grants import approval_acts
from niimi_portal.lib.roles import sync_groups
from organizations.models import Organization
from tests.organizations.conftest import make_complete, put_in_status


@pytest.fixture
def clerks(django_db_serialized_rollback, transactional_db):
    sync_groups(apps)  # a transactional test may start on a flushed database without the groups
    policy = Group.objects.get(name=settings.POLICY_GROUP)
    users = [User.objects.create_user(name, is_staff=True) for name in ("seisaku-a", "seisaku-b")]
    for user in users:
        user.groups.add(policy)
    return users


@pytest.mark.postgres
def test_two_clerks_approving_at_once_record_exactly_one_approval(clerks, organization):
    org = put_in_status(make_complete(organization), Organization.ApprovalStatus.APPLIED)
    start = threading.Barrier(2)
    first_inside = threading.Event()
    results = {}

    def hold_the_lock(sender, **kwargs):
        # The first clerk to get through pauses after saving, while still holding the row lock, so
        # the second one certainly arrives during the first one's transaction.
        if not first_inside.is_set():
            first_inside.set()
            threading.Event().wait(0.5)

    def approve(clerk, number):
        try:
            start.wait()
            approval_acts.organization_approve(
                organization=Organization.objects.get(pk=org.pk), by=clerk, number=number, date=timezone.localdate()
            )
            results[clerk.username] = "approved"
        except ValidationError as refused:
            results[clerk.username] = " ".join(refused.messages)
        finally:
            connection.close()

    pre_create_historical_record.connect(hold_the_lock, sender=Organization.history.model)
    try:
        threads = [
            threading.Thread(target=approve, args=(clerk, number))
            for clerk, number in zip(clerks, ("新総政第501号", "新総政第502号"), strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        pre_create_historical_record.disconnect(hold_the_lock, sender=Organization.history.model)

    assert sorted(results) == ["seisaku-a", "seisaku-b"]  # both clerks got an answer
    winners = [name for name, result in results.items() if result == "approved"]
    assert len(winners) == 1, results
    winner = winners[0]
    loser = "seisaku-b" if winner == "seisaku-a" else "seisaku-a"
    assert "すでに認可されています" in results[loser]

    org.refresh_from_db()
    assert org.approval_status == Organization.ApprovalStatus.APPROVED
    assert org.approval_number == ("新総政第501号" if winner == "seisaku-a" else "新総政第502号")
    approvals = Organization.history.filter(id=org.pk, approval_status="approved")
    assert approvals.count() == 1
    assert approvals.get().history_user.username == winner
