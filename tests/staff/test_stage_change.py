"""Recording a stage change: updates the organization through the service and shows in its admin history."""

import datetime

import pytest
from django.urls import reverse

from organizations.models import Organization
from staff.models import Meeting, StageChange
from staff.services import organization_change_stage
from tests.staff.conftest import snapshot

pytestmark = pytest.mark.django_db


def test_service_records_the_change_and_updates_the_stage_with_a_history_reason(
    assigned_liaison, organization, meeting, today
):
    change = organization_change_stage(
        organization=organization,
        to_stage=Organization.Stage.ESTABLISHED,
        changed_on=today,
        evidence_meeting=meeting,
        note="設立総会で承認",
        by=assigned_liaison,
    )
    organization.refresh_from_db()
    assert organization.stage == Organization.Stage.ESTABLISHED
    assert (change.from_stage, change.to_stage, change.recorded_by) == (2, 3, assigned_liaison)
    record = organization.history.latest()
    assert record.history_user == assigned_liaison
    assert "② 将来計画の策定 → ③ 設立・活動開始" in record.history_change_reason
    assert f"記録番号{meeting.pk}" in record.history_change_reason
    assert organization.approval_status == Organization.ApprovalStatus.NOT_APPLIED  # approval stays with policy


def test_liaison_records_a_stage_change_and_policy_staff_see_it_in_the_admin_history(
    client, assigned_liaison, policy_officer, organization, meeting, today
):
    client.force_login(assigned_liaison)
    form = client.get(reverse("staff:stage_change", args=[organization.slug]))
    assert 'value="2"' not in form.text  # the current stage is not offered
    response = client.post(
        reverse("staff:stage_change", args=[organization.slug]),
        {"to_stage": "3", "changed_on": today.isoformat(), "evidence_meeting": meeting.pk, "note": ""},
    )
    assert response.status_code == 302
    assert StageChange.objects.get().evidence_meeting == meeting
    client.force_login(policy_officer)
    history = client.get(reverse("admin:organizations_organization_history", args=[organization.pk]))
    assert history.status_code == 200
    assert "地域担当職員が段階を記録" in history.text
    assert "tanto1" in history.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"to_stage": "2"}, "to_stage", "正しく選択してください"),
        ({"changed_on": "FUTURE"}, "changed_on", "変更日に未来の日付は指定できません。"),
        ({"changed_on": "LAST_YEAR"}, "changed_on", "過去の年度のため"),
        ({"evidence_meeting": ""}, "evidence_meeting", "このフィールドは必須です。"),
        ({"changed_on": "TODAY_MEETING_TOMORROW"}, "evidence_meeting", "変更日かそれより前に開かれたもの"),
    ],
)
def test_bad_stage_change_input_is_rejected_and_nothing_changes(
    client, assigned_liaison, organization, meeting, today, current_year, changes, field, message
):
    days = {
        "FUTURE": today + datetime.timedelta(days=1),
        "LAST_YEAR": current_year.starts_on - datetime.timedelta(days=1),
        "TODAY_MEETING_TOMORROW": today,
    }
    if changes.get("changed_on") == "TODAY_MEETING_TOMORROW":
        Meeting.objects.filter(pk=meeting.pk).update(date=today + datetime.timedelta(days=1))
    changes = {k: days[v].isoformat() if v in days else v for k, v in changes.items()}
    data = {"to_stage": "3", "changed_on": today.isoformat(), "evidence_meeting": meeting.pk, **changes}
    client.force_login(assigned_liaison)
    before = snapshot()
    response = client.post(reverse("staff:stage_change", args=[organization.slug]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="error_1_id_{field}' in response.text
    assert snapshot() == before


def test_an_archived_or_other_organizations_meeting_is_no_evidence(
    client, assigned_liaison, organization, other_organization, unassigned_liaison, today
):
    foreign = Meeting.objects.create(
        organization=other_organization, kind="study", date=today, place="高尾", author=unassigned_liaison
    )
    client.force_login(assigned_liaison)
    before = snapshot()
    response = client.post(
        reverse("staff:stage_change", args=[organization.slug]),
        {"to_stage": "3", "changed_on": today.isoformat(), "evidence_meeting": foreign.pk},
    )
    assert response.status_code == 200
    assert "evidence_meeting" in response.context["form"].errors
    from staff.services import meeting_archive

    archived = meeting_archive(
        meeting=Meeting.objects.create(
            organization=organization, kind="study", date=today, place="唐松", author=foreign.author
        ),
        by=foreign.author,
    )
    before = snapshot()
    response = client.post(
        reverse("staff:stage_change", args=[organization.slug]),
        {"to_stage": "3", "changed_on": today.isoformat(), "evidence_meeting": archived.pk},
    )
    assert "evidence_meeting" in response.context["form"].errors
    assert snapshot() == before


def test_without_a_held_meeting_the_page_asks_for_one_first(client, assigned_liaison, organization):
    client.force_login(assigned_liaison)
    response = client.get(reverse("staff:stage_change", args=[organization.slug]))
    assert "先に" in response.text
    assert '<form method="post" novalidate>' not in response.text
