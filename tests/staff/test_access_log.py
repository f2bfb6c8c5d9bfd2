"""Each download of a meeting attachment is written to the access log; a refused one is not."""

import pytest
from django.urls import reverse

from organizations.models import AccessLog

pytestmark = pytest.mark.django_db


def test_a_liaison_download_writes_one_download_row(client, assigned_liaison, attachment):
    client.force_login(assigned_liaison)
    assert client.get(reverse("staff:attachment_download", args=[attachment.pk])).status_code == 200
    (row,) = AccessLog.objects.all()
    assert (row.user, row.action, row.kind) == (assigned_liaison, AccessLog.Action.DOWNLOAD, "会議の添付ファイル")
    assert (row.object_type, row.object_pk) == ("staff.meetingattachment", str(attachment.pk))
    assert row.label.startswith("議事録.pdf（")


def test_a_policy_officer_download_is_logged_too(clerk, policy_officer, attachment):
    assert clerk.get(reverse("staff:attachment_download", args=[attachment.pk])).status_code == 200
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["seisaku"]


def test_a_refused_download_writes_nothing(client, unassigned_liaison, attachment):
    client.force_login(unassigned_liaison)
    assert client.get(reverse("staff:attachment_download", args=[attachment.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("staff:attachment_download", args=[attachment.pk])).status_code == 302
    assert not AccessLog.objects.exists()
