"""Attachments are judged by content (filetype + Pillow), kept private, and served only through a checked view."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from niimi_portal.lib.uploads import MAX_ATTACHMENT_BYTES, attachment_store, check_attachment
from staff.models import Meeting, MeetingAttachment
from tests.staff.conftest import image_bytes, media_files, pdf_bytes, upload

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100


@pytest.mark.parametrize(
    ("name", "content", "mime", "extension"),
    [
        ("議事録.pdf", pdf_bytes(), "application/pdf", "pdf"),
        ("photo.JPG", image_bytes("JPEG"), "image/jpeg", "jpg"),
        ("board.png", image_bytes("PNG"), "image/png", "png"),
        # The name is not what decides: a PNG called .pdf is stored as the PNG it is.
        ("misnamed.pdf", image_bytes("PNG"), "image/png", "png"),
    ],
)
def test_pdf_jpeg_and_png_are_accepted_by_their_content(name, content, mime, extension):
    checked = check_attachment(upload(name, content))
    assert (checked.content_type, checked.extension, checked.original_name) == (mime, extension, name)
    assert checked.storage_name == f"attachment.{extension}"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("議事録.pdf", ELF, "wrong_type"),
        ("議事録.pdf", WINDOWS_EXE, "wrong_type"),
        ("photo.jpg", b"just some text, not a photo" * 10, "wrong_type"),
        ("archive.png", b"PK\x03\x04" + b"\x00" * 100, "wrong_type"),  # a zip
        ("scan.gif", b"GIF89a" + b"\x00" * 100, "wrong_type"),  # an image, but not one we take
        ("cut.png", image_bytes("PNG", (64, 64))[:60], "broken_image"),  # PNG header, truncated body
        ("fake.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200, "broken_image"),  # JPEG magic only
        ("half.pdf", pdf_bytes()[:-20] + b"\n" + b"x" * 2000, "broken_pdf"),  # PDF header but no %%EOF
        ("empty.pdf", b"", "empty"),
    ],
)
def test_files_whose_content_is_not_a_pdf_jpeg_or_png_are_rejected(name, content, code):
    with pytest.raises(ValidationError) as error:
        check_attachment(upload(name, content))
    assert error.value.code == code
    assert f"「{name}」" in error.value.messages[0]


def test_the_size_limit_is_ten_megabytes_exactly():
    at_limit = pdf_bytes() + b" " * (MAX_ATTACHMENT_BYTES - len(pdf_bytes()) - 6) + b"%%EOF\n"
    assert len(at_limit) == MAX_ATTACHMENT_BYTES
    assert check_attachment(upload("limit.pdf", at_limit)).size == MAX_ATTACHMENT_BYTES
    with pytest.raises(ValidationError) as error:
        check_attachment(upload("over.pdf", at_limit + b" "))
    assert error.value.code == "too_large"


def test_a_decompression_bomb_png_is_rejected(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # 2× this many pixels is a bomb for Pillow
    buffer = io.BytesIO()
    Image.new("L", (40, 40)).save(buffer, format="PNG")
    with pytest.raises(ValidationError) as error:
        check_attachment(upload("bomb.png", buffer.getvalue()))
    assert error.value.code == "too_many_pixels"


@pytest.mark.django_db
def test_attachments_are_not_reachable_as_media_urls(client, assigned_liaison, attachment, settings):
    client.force_login(assigned_liaison)
    assert client.get(settings.MEDIA_URL + attachment.file.name).status_code == 404
    assert client.get("/media/" + attachment.file.name).status_code == 404


@pytest.mark.django_db
def test_download_keeps_the_original_name_and_is_never_cached(client, assigned_liaison, attachment):
    client.force_login(assigned_liaison)
    response = client.get(reverse("staff:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert "%E8%AD%B0%E4%BA%8B%E9%8C%B2.pdf" in response["Content-Disposition"]  # 議事録.pdf
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_attachments_of_an_archived_meeting_are_hidden_from_liaisons_but_not_policy_staff(
    client, assigned_liaison, policy_officer, attachment
):
    from staff.services import meeting_archive

    meeting_archive(meeting=attachment.meeting, by=assigned_liaison)
    url = reverse("staff:attachment_download", args=[attachment.pk])
    client.force_login(assigned_liaison)
    assert client.get(url).status_code == 404
    client.force_login(policy_officer)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_admin_links_attachments_through_the_checked_view(client, policy_officer, attachment):
    client.force_login(policy_officer)
    response = client.get(reverse("admin:staff_meeting_change", args=[attachment.meeting.pk]))
    assert response.status_code == 200
    assert reverse("staff:attachment_download", args=[attachment.pk]) in response.text
    assert attachment.file.name not in response.text


@pytest.mark.django_db
def test_attachment_store_checks_every_file_before_it_stores_any(meeting, assigned_liaison, settings):
    files = [upload("議事録.pdf", pdf_bytes()), upload("tool.pdf", ELF)]
    with pytest.raises(ValidationError) as refused:
        attachment_store(MeetingAttachment, files, by=assigned_liaison, meeting=meeting)
    assert "「tool.pdf」はPDF・JPEG・PNGのどれでもありません" in refused.value.message_dict["attachments"][0]
    assert not MeetingAttachment.objects.exists()
    assert media_files(settings) == []


@pytest.mark.django_db
def test_attachment_store_deletes_the_saved_files_when_a_row_cannot_be_written(assigned_liaison, settings):
    unsaved = Meeting(kind=Meeting.Kind.WORKSHOP)  # a row cannot point at a meeting that was never saved
    with pytest.raises(ValueError):
        attachment_store(MeetingAttachment, [upload("議事録.pdf", pdf_bytes())], by=assigned_liaison, meeting=unsaved)
    assert not MeetingAttachment.objects.exists()
    assert media_files(settings) == []


@pytest.mark.django_db
def test_a_file_outlives_the_account_of_whoever_uploaded_it(meeting):
    uploader = get_user_model().objects.create_user("departed", password="x")
    (stored,) = attachment_store(MeetingAttachment, [upload("議事録.pdf", pdf_bytes())], by=uploader, meeting=meeting)
    assert (stored.uploaded_by, stored.uploaded_at is not None) == (uploader, True)
    uploader.delete()
    stored.refresh_from_db()
    assert stored.uploaded_by is None
    assert stored.file.name.startswith("meeting-attachments/")
