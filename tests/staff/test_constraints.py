"""Each database constraint of the staff app rejects a bad row."""

import datetime

import pytest
from model_bakery import baker

from organizations.models import ProposalStatus
from staff.models import Assignment, LiaisonOfficer, Meeting, StageChange
from tests.helpers import rejects

pytestmark = pytest.mark.django_db


def test_only_one_main_liaison_per_organization_per_year(organization, current_year):
    first, second = baker.make(LiaisonOfficer, _quantity=2)
    Assignment.objects.create(officer=first, organization=organization, fiscal_year=current_year, role="main")
    rejects(
        lambda: Assignment.objects.create(
            officer=second, organization=organization, fiscal_year=current_year, role="main"
        )
    )
    # A second officer as 副担当 is fine.
    Assignment.objects.create(officer=second, organization=organization, fiscal_year=current_year, role="sub")
    assert Assignment.objects.count() == 2


def test_assignment_targets_an_organization_or_a_region_not_both(organization, area, current_year):
    officer = baker.make(LiaisonOfficer)
    rejects(
        lambda: Assignment.objects.create(
            officer=officer, organization=organization, region=area, fiscal_year=current_year
        )
    )
    rejects(lambda: Assignment.objects.create(officer=officer, fiscal_year=current_year))


def test_meeting_must_end_after_it_starts(organization, policy_officer):
    rejects(
        lambda: Meeting.objects.create(
            organization=organization,
            kind="workshop",
            date=datetime.date(2026, 6, 1),
            start_time=datetime.time(19),
            end_time=datetime.time(18),
            place="公民館",
            author=policy_officer,
        )
    )


def test_meeting_needs_an_organization_or_region(policy_officer):
    rejects(
        lambda: Meeting.objects.create(
            kind="study", date=datetime.date(2026, 6, 1), place="公民館", author=policy_officer
        )
    )


def workshop(organization, author):
    return Meeting.objects.create(
        organization=organization, kind="workshop", date=datetime.date(2026, 6, 1), place="公民館", author=author
    )


def test_stage_change_must_move(organization, policy_officer):
    meeting = workshop(organization, policy_officer)
    rejects(
        lambda: StageChange.objects.create(
            organization=organization,
            from_stage=2,
            to_stage=2,
            changed_on=datetime.date(2026, 6, 1),
            evidence_meeting=meeting,
            recorded_by=policy_officer,
        )
    )


def test_a_declined_stage_change_needs_a_reason(organization, policy_officer):
    """staff_stagechange_declined_has_reason, from the abstract Proposal model."""
    meeting = workshop(organization, policy_officer)
    proposal = {
        "organization": organization,
        "from_stage": 1,
        "to_stage": 2,
        "changed_on": datetime.date(2026, 6, 1),
        "evidence_meeting": meeting,
        "recorded_by": policy_officer,
        "status": ProposalStatus.DECLINED,
    }
    rejects(lambda: StageChange.objects.create(**proposal))
    StageChange.objects.create(**proposal, decline_reason="根拠の会議を確認してください。")
