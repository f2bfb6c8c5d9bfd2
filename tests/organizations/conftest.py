"""Organizations in each approval status, a policy officer without the approval permission, and a DB snapshot."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.utils import timezone
from model_bakery import baker

from organizations.models import FuturePlan, Organization

Status = Organization.ApprovalStatus


def make_complete(organization):
    """Everything an application needs: an area (the fixture has one), a representative, an adopted plan."""
    organization.representative_name = "石井 正男"
    organization.save()
    baker.make(
        FuturePlan,
        organization=organization,
        title="唐松地区 地域の将来計画",
        start_year=2025,
        end_year=2029,
        status=FuturePlan.Status.ADOPTED,
        adopted_on=datetime.date(2025, 5, 1),
    )
    return organization


def put_in_status(organization, status):
    """Set the status directly (not through the workflow), with the fields that status carries."""
    organization.refresh_from_db()
    today = timezone.localdate()
    fields = {"approval_status": status, "applied_on": None, "approval_number": "", "approved_on": None}
    if status != Status.NOT_APPLIED:
        fields["applied_on"] = today - datetime.timedelta(days=30)
    if status in (Status.APPROVED, Status.REVOKED):
        fields.update(approval_number="新総政第7号", approved_on=today - datetime.timedelta(days=10))
    if status in (Status.RETURNED, Status.REVOKED):
        fields["status_reason"] = "以前の理由"
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.save()
    return organization


@pytest.fixture
def complete_organization(organization):
    return make_complete(organization)


@pytest.fixture
def applied_organization(complete_organization):
    return put_in_status(complete_organization, Status.APPLIED)


@pytest.fixture
def approved_organization(complete_organization):
    return put_in_status(complete_organization, Status.APPROVED)


@pytest.fixture
def policy_officer_without_approval(db):
    """A 総合政策課 clerk given every permission of the group except `approve_organization`."""
    user = User.objects.create_user("seisaku-noperm", password="test-pass-9f3k", is_staff=True)
    group = Group.objects.get(name=settings.POLICY_GROUP)
    user.user_permissions.set(group.permissions.exclude(codename="approve_organization"))
    return user


def snapshot(organization):
    """Everything the workflow could change: the row, its areas, its history rows."""
    row = Organization.objects.filter(pk=organization.pk).values().get()
    regions = sorted(Organization.objects.get(pk=organization.pk).regions.values_list("pk", flat=True))
    history = Organization.history.filter(id=organization.pk).count()
    return row, regions, history
