"""A meeting save whose database connection is killed mid-request (PostgreSQL restarting): nothing of it is
kept (no row, no file), the liaison gets the Japanese 503 page, and the next request works without
restarting anything."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from staff.models import Meeting, MeetingAttachment, NextStep
from tests.connection_loss import connection_lost_at, wsgi_get
from tests.helpers import Client
from tests.staff.conftest import image_bytes, media_files, pdf_bytes, snapshot, upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def meeting_data(valid_meeting_data):
    return {
        **valid_meeting_data,
        "attachments": [upload("議事録.pdf", pdf_bytes()), upload("写真.png", image_bytes("PNG"))],
    }


@pytest.mark.parametrize(
    ("statement", "occurrence"),
    [
        ('INSERT INTO "staff_meeting"', 1),  # the first write
        ('INSERT INTO "staff_meetingattachment"', 1),  # after the meeting, its next step and the first file
        ('INSERT INTO "staff_meetingattachment"', 2),  # the first attachment stored whole, the second file written
    ],
)
def test_a_meeting_save_cut_off_keeps_nothing_and_the_next_request_works(
    assigned_liaison, organization, valid_meeting_data, settings, statement, occurrence
):
    client = Client(raise_request_exception=False)
    client.force_login(assigned_liaison)
    url = reverse("staff:meeting_create", kwargs={"kind": "organization", "slug": organization.slug})
    before = snapshot()

    with connection_lost_at(statement, occurrence) as killer:
        response = client.post(url, meeting_data(valid_meeting_data))

    assert killer.fired and killer.inside_transaction
    assert response.status_code == 503
    assert "ただいまご利用いただけません" in response.content.decode()
    assert response["Retry-After"] == "60"
    assert snapshot() == before  # no meeting, next step, attachment or history row
    # A file written before its row failed is deleted again by attachment_store (what the request never
    # reached, a killed worker, is left to remove_orphan_uploads: tests/niimi_portal/test_remove_orphan_uploads.py).
    assert media_files(settings) == []

    assert wsgi_get("/healthz") == (200, '{"status": "ok", "database": "ok"}')
    again = client.post(url, meeting_data(valid_meeting_data))
    assert again.status_code == 302
    meeting = Meeting.objects.get()
    assert NextStep.objects.filter(meeting=meeting).count() == 1
    stored = {a.file.name for a in MeetingAttachment.objects.filter(meeting=meeting)}
    assert len(stored) == 2
    assert {p.relative_to(settings.MEDIA_ROOT).as_posix() for p in media_files(settings)} == stored
    call_command("remove_orphan_uploads", "--older-than", "0")  # files with their rows stay
    assert len(media_files(settings)) == 2
