"""An attachment uploaded by mistake can be removed by the meeting's author and by 総合政策課: the file
goes, the meeting's history keeps who removed which file and why."""

import pytest

from staff.models import MeetingAttachment
from tests.staff.conftest import media_files

pytestmark = pytest.mark.django_db


def test_the_author_removes_an_attachment_with_a_reason_kept_in_the_history(
    client, assigned_liaison, meeting, attachment, settings, django_capture_on_commit_callbacks
):
    assert len(media_files(settings)) == 1
    client.force_login(assigned_liaison)
    detail = client.get(f"/workspace/meetings/{meeting.pk}/").content.decode()
    assert f'href="/workspace/attachments/{attachment.pk}/remove/"' in detail

    with django_capture_on_commit_callbacks(execute=True):  # the file is deleted once the removal commits
        response = client.post(
            f"/workspace/attachments/{attachment.pk}/remove/", {"reason": "別の会議の写真を誤って登録"}
        )
    assert response.status_code == 302
    assert not MeetingAttachment.objects.filter(pk=attachment.pk).exists()
    assert media_files(settings) == []
    last = meeting.history.latest("history_date")
    assert last.history_change_reason == "添付ファイル「議事録.pdf」を削除（理由: 別の会議の写真を誤って登録）"
    assert last.history_user == assigned_liaison
    page = client.get(f"/workspace/meetings/{meeting.pk}/").content.decode()
    assert "議事録.pdf" in page  # named in the history
    assert f"/workspace/attachments/{attachment.pk}/" not in page


def test_a_removal_without_a_reason_is_refused_beside_the_field_and_keeps_the_file(
    client, assigned_liaison, attachment
):
    client.force_login(assigned_liaison)
    response = client.post(f"/workspace/attachments/{attachment.pk}/remove/", {"reason": "  "})
    assert response.status_code == 200
    assert "削除する理由を書いてください。" in response.content.decode()
    assert MeetingAttachment.objects.filter(pk=attachment.pk).exists()


def test_a_liaison_who_may_not_change_the_meeting_cannot_remove_its_attachment(client, unassigned_liaison, attachment):
    client.force_login(unassigned_liaison)
    response = client.post(f"/workspace/attachments/{attachment.pk}/remove/", {"reason": "いたずら"})
    assert response.status_code in (403, 404)
    assert MeetingAttachment.objects.filter(pk=attachment.pk).exists()


def test_the_policy_division_removes_an_attachment_in_the_admin(
    client, policy_officer, meeting, attachment, settings, django_capture_on_commit_callbacks
):
    client.force_login(policy_officer)
    change = client.get(f"/admin/staff/meeting/{meeting.pk}/change/").content.decode()
    url = f"/admin/staff/meeting/{meeting.pk}/attachments/{attachment.pk}/remove/"
    assert url in change
    assert "削除する理由" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "住民の顔が写っているため"})
    assert response.status_code == 302
    assert not MeetingAttachment.objects.filter(pk=attachment.pk).exists()
    assert media_files(settings) == []
    reason = meeting.history.latest("history_date").history_change_reason
    assert reason == "添付ファイル「議事録.pdf」を削除（理由: 住民の顔が写っているため）"
