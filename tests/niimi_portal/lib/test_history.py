"""record_change: one way every service writes who changed a record and why, the reason fitted to its column."""

import pytest

from niimi_portal.lib.history import reason_max_length, record_change
from staff.models import Meeting

pytestmark = pytest.mark.django_db


def test_a_long_reason_is_cut_to_the_hundred_characters_of_a_bounded_column(organization, assigned_liaison):
    meeting = Meeting.objects.create(
        organization=organization, kind="board", date="2026-05-10", author=assigned_liaison
    )
    record_change(meeting, by=assigned_liaison, reason="理" * 150)
    meeting.save()
    latest = meeting.history.latest()
    assert reason_max_length(Meeting) == 100
    assert (latest.history_user, latest.history_change_reason) == (assigned_liaison, "理" * 100)


def test_a_reason_kept_as_text_is_kept_whole(organization, policy_officer):
    record_change(organization, by=policy_officer, reason="理" * 150)
    organization.save()
    latest = organization.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (policy_officer, "理" * 150)


def test_without_a_reason_only_the_user_is_recorded(organization, policy_officer):
    record_change(organization, by=policy_officer)
    organization.save()
    latest = organization.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (policy_officer, None)
