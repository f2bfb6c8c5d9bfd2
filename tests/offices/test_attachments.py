"""The files a 事務局 sends with a form: several at once, re-encoded, listed with their size, removed while the
form is theirs to change, and served to their own organization only."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from offices import attachments
from offices.models import OfficeMember, Submission, SubmissionAttachment
from tests.staff.conftest import pdf_bytes


def jpeg_with_exif():
    exif = Image.Exif()
    exif[0x010F] = "KameraMaker"  # Make
    exif[0x0132] = "2026:11:27 10:00:00"  # DateTime
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


@pytest.fixture
def office_user(organization):
    user = User.objects.create_user("jimukyoku", password="x")
    OfficeMember.objects.create(organization=organization, user=user)
    return user


@pytest.fixture
def office(client, office_user):
    client.force_login(office_user)
    return client


@pytest.fixture
def submission(organization, current_year):
    return Submission.objects.create(organization=organization, fiscal_year=current_year, kind=Submission.Kind.REPORT)


@pytest.fixture
def other_submission(other_organization, current_year):
    return Submission.objects.create(
        organization=other_organization, fiscal_year=current_year, kind=Submission.Kind.REPORT
    )


def page_url(submission):
    return reverse("offices:submission_attachments", args=[submission.organization.slug, submission.pk])


def test_several_files_are_attached_at_once_and_listed_with_their_size(office, submission):
    response = office.post(
        page_url(submission),
        {
            "files": [
                SimpleUploadedFile("領収書.jpg", jpeg_with_exif(), content_type="image/jpeg"),
                SimpleUploadedFile("報告書.pdf", pdf_bytes("report"), content_type="application/pdf"),
            ],
            "label": "材料費",
        },
    )
    assert response.status_code == 302
    stored = list(submission.attachments.order_by("original_name"))
    assert [(a.original_name, a.label) for a in stored] == [("報告書.pdf", "材料費"), ("領収書.jpg", "材料費")]
    page = office.get(page_url(submission)).text
    assert 'accept="image/*,application/pdf"' in page
    assert "multiple" in page
    assert "（1KB）" in page  # sizes in KB
    assert "2件" in page


def test_an_image_is_reencoded_without_its_exif(office_user, submission):
    (attachment,) = attachments.submission_attach(
        submission=submission,
        files=[SimpleUploadedFile("写真.jpg", jpeg_with_exif(), content_type="image/jpeg")],
        by=office_user,
    )
    with attachment.file.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert dict(image.getexif()) == {}
    assert attachment.history.first().history_user == office_user


def test_a_bad_file_is_refused_beside_the_field_and_nothing_is_stored(office, submission):
    response = office.post(
        page_url(submission),
        {"files": [SimpleUploadedFile("メモ.pdf", b"<html>not a pdf</html>", content_type="application/pdf")],
         "label": "書いた説明"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not submission.attachments.exists()
    html = response.text
    assert "「メモ.pdf」はPDF・JPEG・PNGのどれでもありません" in html
    # beside the field: in the field's own error element, right after its input
    error_at = html.index('id="error_1_id_files"')
    assert html.index('id="id_files"') < error_at < html.index("PDF・JPEG・PNGのどれでもありません", error_at)
    assert html.index("PDF・JPEG・PNGのどれでもありません", error_at) - error_at < 200
    assert 'value="書いた説明"' in html  # the typed 説明 is kept
    assert "ファイルは、もう一度選んでください" in html


def test_a_file_is_removed_by_post_only_while_the_form_is_editable(office, office_user, submission):
    (attachment,) = attachments.submission_attach(
        submission=submission, files=[SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf")],
        by=office_user,
    )  # fmt: skip
    remove = reverse("offices:attachment_remove", args=[submission.organization.slug, attachment.pk])
    assert office.get(remove).status_code == 405
    submission.status = Submission.Status.SENT
    submission.save()
    office.post(remove)
    assert SubmissionAttachment.objects.filter(pk=attachment.pk).exists()
    assert "添付ファイルは変えられません" in office.get(page_url(submission)).text
    submission.status = Submission.Status.CORRECTION
    submission.save()
    assert office.post(remove).status_code == 302
    assert not SubmissionAttachment.objects.filter(pk=attachment.pk).exists()


def test_the_label_can_be_changed_per_file(office, office_user, submission):
    (attachment,) = attachments.submission_attach(
        submission=submission, files=[SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf")],
        by=office_user,
    )  # fmt: skip
    url = reverse("offices:attachment_label", args=[submission.organization.slug, attachment.pk])
    assert office.post(url, {"label": "会場の写真"}).status_code == 302
    attachment.refresh_from_db()
    assert attachment.label == "会場の写真"


def test_the_download_is_the_organizations_own_and_private(office, office_user, submission, client):
    (attachment,) = attachments.submission_attach(
        submission=submission, files=[SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf")],
        by=office_user,
    )  # fmt: skip
    url = reverse("offices:attachment_download", args=[submission.organization.slug, attachment.pk])
    response = office.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_organizations_ids_are_not_found(office, office_user, submission, other_submission):
    (theirs,) = attachments.submission_attach(
        submission=other_submission, files=[SimpleUploadedFile("b.pdf", pdf_bytes(), content_type="application/pdf")],
        by=office_user,
    )  # fmt: skip
    mine = submission.organization.slug
    for url in (
        reverse("offices:submission_attachments", args=[mine, other_submission.pk]),
        reverse("offices:attachment_download", args=[mine, theirs.pk]),
        reverse("offices:submission_attachments", args=[other_submission.organization.slug, other_submission.pk]),
        reverse("offices:attachment_download", args=[other_submission.organization.slug, theirs.pk]),
    ):
        assert office.get(url).status_code == 404, url
    for url in (
        reverse("offices:attachment_remove", args=[mine, theirs.pk]),
        reverse("offices:attachment_label", args=[mine, theirs.pk]),
    ):
        assert office.post(url, {"label": "x"}).status_code == 404, url
    theirs.refresh_from_db()
    assert theirs.label == ""
    assert office.post(page_url(other_submission), {}).status_code == 404
