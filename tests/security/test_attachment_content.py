"""Attachments (issue 14, finding 7), through the real forms and downloads of both places that take
files: images are re-encoded (no EXIF, no GPS, nothing glued on), downloads are named by the type
the content is, PDFs with JavaScript or embedded files are refused, and the grant report takes at
most ten files and streams them back privately. Each test failed on the code before the fix."""

import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.urls import reverse
from PIL import Image

from grants.models import GrantReportAttachment
from organizations.models import AnnualPlan, PlannedProject
from staff.models import MeetingAttachment
from tests.helpers import Client
from tests.security.permission_matrix import meeting_data

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def photo_with_gps(size=(40, 20), orientation=None):
    """A JPEG as a phone writes it: EXIF with the camera, the GPS position and, if given, the orientation."""
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"  # Make
    exif[0x0110] = "Phone model"  # Model
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (34.0, 58.0, 48.0), 3: "E", 4: (133.0, 28.0, 12.0)})  # 新見市役所のあたり
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 160, 90)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (11, 92, 59)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_with(change):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    change(pdf)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def with_javascript(pdf):
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))


def with_embedded_file(pdf):
    pdf.attachments["readme.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00" + bytes(100))


def post_meeting(world, *files):
    client = Client()
    client.force_login(world.users["assigned_liaison"])
    url = reverse("staff:meeting_create", kwargs={"kind": "organization", "slug": world.organization.slug})
    return client, client.post(url, {**meeting_data(world), "attachments": list(files)})


def post_report(world, *files):
    plan = AnnualPlan.objects.create(organization=world.organization, fiscal_year=world.fiscal_year)
    project = PlannedProject.objects.create(annual_plan=plan, field="elderly", name="見守り訪問", budget=800_000)
    client = Client()
    client.force_login(world.users["policy_officer"])
    response = client.post(
        reverse("admin:grants_grantdecision_report", args=[world.decision.pk]),
        {
            "reported_on": world.today.isoformat(),
            "personnel": "0",
            "operating": "0",
            "other_income": "0",
            f"project_{project.pk}": "500000",
            "attachments": list(files),
        },
    )
    return client, response


def stored_bytes(attachment):
    with attachment.file.open("rb") as file:
        return file.read()


def test_the_test_photo_really_carries_a_gps_position():
    with Image.open(io.BytesIO(photo_with_gps())) as image:
        assert image.getexif().get_ifd(GPS_IFD)[1] == "N"


def test_a_photo_is_stored_without_its_exif_and_gps_position(world):
    _, response = post_meeting(world, SimpleUploadedFile("集合写真.jpg", photo_with_gps()))
    assert response.status_code == 302
    stored = stored_bytes(MeetingAttachment.objects.latest("pk"))
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (40, 20)
        assert dict(image.getexif()) == {}
    assert b"Exif" not in stored
    assert b"Phone maker" not in stored


def test_a_photo_taken_sideways_is_stored_upright_once_its_exif_is_gone(world):
    _, response = post_meeting(world, SimpleUploadedFile("横.jpg", photo_with_gps(orientation=6)))
    assert response.status_code == 302
    with Image.open(io.BytesIO(stored_bytes(MeetingAttachment.objects.latest("pk")))) as image:
        assert image.size == (20, 40)  # orientation 6: turned a quarter, as the phone showed it


def test_a_grant_report_photo_is_stored_without_its_gps_position(world):
    _, response = post_report(world, SimpleUploadedFile("領収書.jpg", photo_with_gps()))
    assert response.status_code == 302
    stored = stored_bytes(GrantReportAttachment.objects.latest("pk"))
    assert b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert dict(image.getexif()) == {}


def test_a_png_with_html_appended_named_html_is_stored_and_downloaded_as_a_png(world):
    client, response = post_meeting(world, SimpleUploadedFile("議事録.html", png_bytes() + HTML))
    assert response.status_code == 302
    attachment = MeetingAttachment.objects.latest("pk")
    assert attachment.file.name.endswith(".png")
    download = client.get(reverse("staff:attachment_download", args=[attachment.pk]))
    body = b"".join(download.streaming_content)
    assert "filename*=utf-8''%E8%AD%B0%E4%BA%8B%E9%8C%B2.png" in download["Content-Disposition"]  # 議事録.png
    assert ".html" not in download["Content-Disposition"]
    assert download["Content-Type"] == "image/png"
    assert b"<script" not in body
    with Image.open(io.BytesIO(body)) as image:
        assert image.format == "PNG"


def test_a_truncated_jpeg_with_html_glued_on_is_refused_beside_the_field(world):
    photo = photo_with_gps(size=(200, 200))
    _, response = post_meeting(world, SimpleUploadedFile("写真.jpg", photo[: len(photo) // 2] + HTML))
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == ["「写真.jpg」は画像として読み取れません。"]
    assert not MeetingAttachment.objects.filter(original_name="写真.jpg").exists()


@pytest.mark.parametrize(
    ("change", "name"), [(with_javascript, "javascript.pdf"), (with_embedded_file, "embedded.pdf")]
)
def test_a_pdf_with_javascript_or_an_embedded_file_is_refused_in_both_forms(world, change, name):
    content = pdf_with(change)
    _, response = post_meeting(world, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    [error] = response.context["form"].errors["attachments"]
    assert error.startswith(f"「{name}」にはJavaScriptや埋め込みファイルが含まれているため")
    _, response = post_report(world, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    [error] = response.context["form"].errors["attachments"]
    assert error.startswith(f"「{name}」にはJavaScriptや埋め込みファイルが含まれているため")
    assert not MeetingAttachment.objects.filter(original_name=name).exists()
    assert not GrantReportAttachment.objects.filter(original_name=name).exists()


def test_a_plain_pdf_made_by_a_library_is_accepted(world):
    _, response = post_meeting(world, SimpleUploadedFile("議事録.pdf", pdf_with(lambda pdf: None)))
    assert response.status_code == 302
    assert MeetingAttachment.objects.latest("pk").content_type == "application/pdf"


def test_the_grant_report_takes_at_most_ten_files(world):
    files = [SimpleUploadedFile(f"写真{i}.png", png_bytes()) for i in range(11)]
    _, response = post_report(world, *files)
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == ["一度に添付できるのは10ファイルまでです。"]
    assert not GrantReportAttachment.objects.filter(original_name__startswith="写真").exists()


def test_a_grant_report_attachment_is_streamed_privately_and_named_by_its_type(world):
    client, response = post_report(world, SimpleUploadedFile("領収書.html", png_bytes() + HTML))
    assert response.status_code == 302
    attachment = GrantReportAttachment.objects.latest("pk")
    download = client.get(reverse("admin:grants_grantdecision_attachment", args=[world.decision.pk, attachment.pk]))
    assert isinstance(download, FileResponse)
    assert {"private", "no-store"} <= set(download["Cache-Control"].split(", "))  # the admin adds no-cache too
    assert "%E9%A0%98%E5%8F%8E%E6%9B%B8.png" in download["Content-Disposition"]  # 領収書.png
    assert b"<script" not in b"".join(download.streaming_content)
