"""Editing keeps history, deleting archives (policy staff restore), and a held meeting can become a case proposal."""

import datetime

import pytest
from django.urls import reverse

from organizations.models import CaseStudy
from staff.models import Meeting, NextStep
from staff.services import meeting_archive, meeting_restore
from tests.staff.conftest import snapshot

pytestmark = pytest.mark.django_db


def edit_data(meeting, **changes):
    step = meeting.next_steps.get()
    data = {
        "kind": meeting.kind,
        "status": meeting.status,
        "date": meeting.date.isoformat(),
        "start_time": "19:00",
        "end_time": "20:30",
        "place": meeting.place,
        "attendees": "15",
        "summary": meeting.summary,
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "1",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-id": step.pk,
        "steps-0-meeting": meeting.pk,
        "steps-0-description": step.description,
        "steps-0-owner": step.owner,
        "steps-0-due_date": step.due_date.isoformat(),
    }
    data.update(changes)
    return data


def test_editing_my_meeting_is_kept_in_history(client, assigned_liaison, meeting):
    client.force_login(assigned_liaison)
    response = client.post(
        reverse("staff:meeting_edit", args=[meeting.pk]),
        edit_data(meeting, place="ふれあいセンター", **{"steps-0-is_done": "on"}),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "ふれあいセンター"
    assert NextStep.objects.get().is_done
    latest, first = meeting.history.order_by("-history_id")[:2]
    assert latest.history_change_reason == "職員ページで編集"
    assert latest.history_user == assigned_liaison
    assert first.place == "唐松公民館"  # the old text is still there
    assert NextStep.history.filter(is_done=True, history_user=assigned_liaison).exists()
    detail = client.get(reverse("staff:meeting_detail", args=[meeting.pk]))
    assert "職員ページで編集（場所）" in detail.text
    assert "Created" not in detail.text


def test_an_edit_with_a_bad_due_date_changes_nothing(client, assigned_liaison, meeting):
    client.force_login(assigned_liaison)
    before = snapshot()
    response = client.post(
        reverse("staff:meeting_edit", args=[meeting.pk]),
        edit_data(
            meeting, place="別の場所", **{"steps-0-due_date": (meeting.date - datetime.timedelta(days=1)).isoformat()}
        ),
    )
    assert response.status_code == 200
    assert "期限は会議の開催日と同じか" in response.text
    assert 'value="別の場所"' in response.text
    assert snapshot() == before


def test_deleting_archives_the_meeting_and_it_leaves_every_list(client, assigned_liaison, meeting):
    client.force_login(assigned_liaison)
    confirm = client.get(reverse("staff:meeting_archive", args=[meeting.pk]))
    assert "総合政策課が元に戻せます" in confirm.text
    response = client.post(reverse("staff:meeting_archive", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.archived_at is not None  # still in the database
    assert meeting.history.latest().history_change_reason == "アーカイブ（削除）"
    assert "唐松公民館" not in client.get(reverse("staff:meeting_list")).text
    assert "唐松公民館" not in client.get(reverse("staff:dashboard")).text
    assert client.get(reverse("staff:meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("staff:meeting_edit", args=[meeting.pk])).status_code == 404


def test_policy_staff_restore_an_archived_meeting_from_the_admin(client, assigned_liaison, policy_officer, meeting):
    meeting_archive(meeting=meeting, by=assigned_liaison)
    client.force_login(policy_officer)
    response = client.post(
        reverse("admin:staff_meeting_changelist"),
        {"action": "restore_meetings", "_selected_action": [meeting.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1件の会議記録を復元しました" in response.text
    meeting.refresh_from_db()
    assert meeting.archived_at is None
    restored = meeting.history.latest()
    assert (restored.history_change_reason, restored.history_user) == ("アーカイブから復元", policy_officer)
    client.force_login(assigned_liaison)
    assert "唐松公民館" in client.get(reverse("staff:meeting_list")).text


def test_liaisons_cannot_reach_the_admin_to_restore(client, assigned_liaison, meeting):
    meeting_archive(meeting=meeting, by=assigned_liaison)
    client.force_login(assigned_liaison)
    response = client.post(
        reverse("admin:staff_meeting_changelist"), {"action": "restore_meetings", "_selected_action": [meeting.pk]}
    )
    assert response.status_code == 302  # to the admin login: liaisons are not admin users
    meeting.refresh_from_db()
    assert meeting.archived_at is not None


def test_archive_and_restore_are_idempotent(assigned_liaison, policy_officer, meeting):
    first = meeting_archive(meeting=meeting, by=assigned_liaison).archived_at
    assert meeting_archive(meeting=meeting, by=assigned_liaison).archived_at == first
    meeting_restore(meeting=meeting, by=policy_officer)
    meeting_restore(meeting=meeting, by=policy_officer)
    assert meeting.history.filter(history_change_reason="アーカイブから復元").count() == 1


def test_proposing_a_held_meeting_creates_a_draft_case_study_without_internal_notes(
    client, assigned_liaison, meeting, organization
):
    client.force_login(assigned_liaison)
    response = client.post(
        reverse("staff:meeting_edit", args=[meeting.pk]),
        edit_data(
            meeting,
            propose_case="on",
            case_title="唐松の将来を話し合うワークショップ",
            case_summary="小学生から高齢の方まで集まりました。",
            case_body="地域のよいところと困りごとを出し合いました。",
        ),
    )
    assert response.status_code == 302
    case = CaseStudy.objects.get()
    assert not case.is_published
    assert (case.source_meeting, case.organization, case.held_on) == (meeting, organization, meeting.date)
    assert list(case.regions.all()) == list(organization.regions.all())
    assert "内部の話し合いのメモ" not in case.summary + case.body
    # A second time, the form no longer offers it.
    form = client.get(reverse("staff:meeting_edit", args=[meeting.pk]))
    assert "すでに取組事例として提案済みです" in form.text
    assert 'name="propose_case"' not in form.text


def test_a_planned_meeting_cannot_be_proposed_and_a_proposal_needs_public_text(client, assigned_liaison, meeting):
    client.force_login(assigned_liaison)
    before = snapshot()
    response = client.post(
        reverse("staff:meeting_edit", args=[meeting.pk]),
        edit_data(meeting, status="planned", propose_case="on"),
    )
    assert response.status_code == 200
    assert "取組事例として提案できるのは実施済の会議だけです。" in response.text
    assert "事例として提案するときは、公開用の要約を入力してください。" in response.text
    assert snapshot() == before
    assert not CaseStudy.objects.exists()


def test_another_liaisons_meeting_cannot_be_proposed(client, unassigned_liaison, meeting):
    client.force_login(unassigned_liaison)
    response = client.post(
        reverse("staff:meeting_edit", args=[meeting.pk]),
        edit_data(meeting, propose_case="on", case_title="t", case_summary="s", case_body="b"),
    )
    assert response.status_code == 404
    assert not CaseStudy.objects.exists()
    assert Meeting.objects.get().history.count() == 1
