"""Meetings, files and helpers shared by the workspace tests."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from organizations.models import CaseStudy, Organization
from staff.models import Meeting, MeetingAttachment, NextStep, StageChange


def pdf_bytes(text="minutes"):
    """A small but complete PDF (header, one empty page, trailer, %%EOF)."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        + f"% {text}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def image_bytes(fmt="PNG", size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 92, 59)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def meeting(organization, assigned_liaison, today):
    """A held workshop this fiscal year, recorded by the assigned liaison."""
    meeting = Meeting.objects.create(
        organization=organization,
        kind=Meeting.Kind.WORKSHOP,
        status=Meeting.Status.HELD,
        date=today,
        start_time=datetime.time(19),
        end_time=datetime.time(20, 30),
        place="唐松公民館",
        attendees=15,
        summary="内部の話し合いのメモ",
        author=assigned_liaison,
    )
    NextStep.objects.create(
        meeting=meeting, description="アンケートの集計", owner="事務局", due_date=today + datetime.timedelta(days=10)
    )
    return meeting


@pytest.fixture
def attachment(meeting, assigned_liaison):
    att = MeetingAttachment(
        meeting=meeting,
        original_name="議事録.pdf",
        content_type="application/pdf",
        size=len(pdf_bytes()),
        uploaded_by=assigned_liaison,
    )
    att.file.save("attachment.pdf", io.BytesIO(pdf_bytes()), save=False)
    att.save()
    return att


@pytest.fixture
def valid_meeting_data(today):
    """What a liaison types for a held meeting tonight, with one next step."""
    return {
        "kind": "workshop",
        "status": "held",
        "date": today.isoformat(),
        "start_time": "19:00",
        "end_time": "20:30",
        "place": "唐松公民館",
        "attendees": "18",
        "attendees_residents": "14",
        "attendees_council": "1",
        "attendees_coordinator": "1",
        "attendees_city": "2",
        "other_organizations": "社会福祉協議会",
        "agenda": "将来計画の柱",
        "summary": "内部メモ: 役員の負担が話題に",
        "decisions": "次回までにアンケート",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-description": "アンケートの配布",
        "steps-0-owner": "事務局",
        "steps-0-due_date": (today + datetime.timedelta(days=14)).isoformat(),
        "steps-1-description": "",
        "steps-1-owner": "",
        "steps-1-due_date": "",
    }


def snapshot():
    """Everything a refused request must leave as it was."""
    return {
        "meetings": list(
            Meeting.objects.order_by("pk").values_list("pk", "place", "date", "archived_at", "updated_at", "summary")
        ),
        "meeting_history": Meeting.history.count(),
        "next_steps": list(NextStep.objects.order_by("pk").values_list("pk", "description", "due_date", "is_done")),
        "attachments": MeetingAttachment.objects.count(),
        "stage_changes": StageChange.objects.count(),
        "stages": list(Organization.objects.order_by("pk").values_list("pk", "stage")),
        "organization_history": Organization.history.count(),
        "case_studies": CaseStudy.objects.count(),
    }


def media_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
