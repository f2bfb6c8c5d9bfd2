"""Hostile uploads through the real forms: a zip bomb, image bombs, markup dressed as an image.

Each is refused with a message beside the file field, and nothing is stored: no row in any table,
no file under MEDIA_ROOT. Oversized files, executables named .pdf and truncated files are covered
in tests/staff/test_attachments.py and test_meeting_form.py; this adds what those leave out, for
both places that take files (the workspace meeting form and the grant report in the admin).
"""

import io
import struct
import time
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from organizations.models import AnnualPlan, PlannedProject
from tests.helpers import Client
from tests.security.permission_matrix import meeting_data
from tests.security.world import database_state, state_changes

pytestmark = pytest.mark.django_db


def zip_bomb(megabytes=100):
    """A zip holding `megabytes` MB of zeros in about a thousandth of the space."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("zeros.txt", "w", force_zip64=True) as entry,
    ):
        chunk = bytes(1024 * 1024)
        for _ in range(megabytes):
            entry.write(chunk)
    return buffer.getvalue()


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width, height):
    """A valid all-black 1-bit PNG of width × height: a few hundred kilobytes on disk."""
    row = bytes(1 + (width + 7) // 8)  # filter byte + packed pixels
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", pixels) + png_chunk(b"IEND", b"")


def jpeg_claiming(width, height):
    """A small real JPEG whose frame header is edited to claim width × height pixels."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="JPEG")
    data = bytearray(buffer.getvalue())
    frame = data.index(b"\xff\xc0")  # SOF0: marker, length (2), precision (1), height (2), width (2)
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


MARKUP_AS_IMAGE = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><rect/></svg>'
HTML_AS_PDF = b"<!DOCTYPE html><html><script>alert(1)</script></html>"

HOSTILE = {
    "zip bomb named as minutes": ("議事録.pdf", zip_bomb(), "PDF・JPEG・PNGのどれでもありません"),
    "zip bomb as it is": ("資料.zip", zip_bomb(), "PDF・JPEG・PNGのどれでもありません"),
    # Over Pillow's limit (≈ 89 million pixels) but under twice it, where Pillow only warns.
    "PNG bomb of 100 million pixels": ("写真.png", png_bomb(10_000, 10_000), "画素数が多すぎます"),
    "PNG bomb of 400 million pixels": ("写真.png", png_bomb(20_000, 20_000), "画素数が多すぎます"),
    "JPEG claiming 100 million pixels": ("写真.jpg", jpeg_claiming(10_000, 10_000), "画素数が多すぎます"),
    "JPEG claiming 4 billion pixels": ("写真.jpg", jpeg_claiming(65_500, 65_500), "画素数が多すぎます"),
    "SVG with a script named .png": ("写真.png", MARKUP_AS_IMAGE, "PDF・JPEG・PNGのどれでもありません"),
    "HTML named .pdf": ("議事録.pdf", HTML_AS_PDF, "PDF・JPEG・PNGのどれでもありません"),
}


def test_the_bombs_are_what_they_claim_to_be():
    bomb = zip_bomb()
    assert len(bomb) < 200_000
    assert zipfile.ZipFile(io.BytesIO(bomb)).infolist()[0].file_size == 100 * 1024 * 1024
    png = png_bomb(10_000, 10_000)
    assert len(png) < 100_000
    with Image.open(io.BytesIO(png)) as image:  # Pillow only warns at this size
        assert image.size == (10_000, 10_000)
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(jpeg_claiming(65_500, 65_500)))


def media_files(settings):
    return sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) if settings.MEDIA_ROOT.exists() else []


def refused_beside_the_field(response, message, name):
    assert response.status_code == 200
    errors = response.context["form"].errors["attachments"]
    assert any(f"「{name}」" in error and message in error for error in errors), errors


@pytest.mark.parametrize("case", HOSTILE)
def test_the_meeting_form_refuses_hostile_files_and_stores_nothing(world, settings, case):
    name, content, message = HOSTILE[case]
    client = Client()
    client.force_login(world.users["assigned_liaison"])
    url = reverse("staff:meeting_create", kwargs={"kind": "organization", "slug": world.organization.slug})
    files_before, before = media_files(settings), database_state()
    started = time.monotonic()
    response = client.post(url, {**meeting_data(world), "attachments": [SimpleUploadedFile(name, content)]})
    assert time.monotonic() - started < 10  # judged without unpacking or decoding the whole thing
    refused_beside_the_field(response, message, name)
    assert state_changes(before, database_state()) == []
    assert media_files(settings) == files_before


@pytest.mark.parametrize("case", HOSTILE)
def test_the_grant_report_refuses_hostile_files_and_stores_nothing(world, settings, case):
    name, content, message = HOSTILE[case]
    plan = AnnualPlan.objects.create(organization=world.organization, fiscal_year=world.fiscal_year)
    project = PlannedProject.objects.create(annual_plan=plan, field="elderly", name="見守り訪問", budget=800_000)
    client = Client()
    client.force_login(world.users["policy_officer"])
    files_before, before = media_files(settings), database_state()
    response = client.post(
        reverse("admin:grants_grantdecision_report", args=[world.decision.pk]),
        {
            "reported_on": world.today.isoformat(),
            f"project_{project.pk}": "500000",
            "attachments": [SimpleUploadedFile(name, content)],
        },
    )
    refused_beside_the_field(response, message, name)
    assert state_changes(before, database_state()) == []
    assert media_files(settings) == files_before
