"""Case-study photos: checked like meeting attachments, re-encoded and resized for the web without the
camera's metadata, alternative text required, shown with captions only while the case is public."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from PIL import Image

from organizations.models import CaseStudyPhoto
from tests.organizations.photos import form_for, picture
from tests.staff.conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def test_a_large_photo_is_resized_to_1600_px_and_loses_its_camera_metadata(case):
    form = form_for(case, picture(gps=True))
    assert form.is_valid(), form.errors
    photo = form.save()
    assert (photo.width, photo.height) == (1600, 1067)
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and image.size == (1600, 1067)
        assert not image.getexif() and "exif" not in image.info
    assert photo.image.name.startswith("case-photos/") and photo.image.name.endswith(".jpg")


def test_a_transparent_png_becomes_a_jpeg_on_white(case):
    form = form_for(case, picture((400, 300), "PNG", "RGBA"), name="logo.png")
    assert form.is_valid(), form.errors
    with form.save().image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and image.size == (400, 300)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (pdf_bytes(), "report.pdf", "写真ではありません"),  # a whole PDF: it passes the checks, then is no photo
        (b"this is not a photo at all" * 10, "fake.jpg", "PDF・JPEG・PNGのどれでもありません"),
        (picture()[:500], "cut.jpg", "画像として読み取れません"),
    ],
)
def test_what_is_not_a_photo_is_refused_beside_the_field(case, content, name, message):
    form = form_for(case, content, name=name)
    assert not form.is_valid()
    assert message in " ".join(form.errors["image"])


def test_alternative_text_is_required_by_the_form_and_the_database(case):
    form = form_for(case, picture((200, 100)), alt_text="")
    assert not form.is_valid() and "alt_text" in form.errors
    with pytest.raises(IntegrityError):
        CaseStudyPhoto.objects.create(case=case, image="case-photos/x.jpg", alt_text="")


def test_the_case_page_shows_each_photo_with_its_alt_text_and_caption(client, case):
    form_for(case, picture((800, 600))).save()
    html = client.get("/cases/workshop/").content.decode()
    photo = case.photos.get()
    assert (
        f'<img src="/cases/workshop/photos/{photo.pk}.jpg" alt="付せんを貼って話し合う住民" width="800" height="600"'
        in html
    )
    assert '<figcaption class="figure-caption">公民館でのワークショップ</figcaption>' in html
    response = client.get(photo.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_a_photo_of_an_unpublished_case_is_not_served(client, case):
    form_for(case, picture((80, 60))).save()
    photo = case.photos.get()
    case.is_published = False
    case.save()
    assert client.get(photo.get_absolute_url()).status_code == 404


def test_clerk_adds_a_photo_in_the_case_admin(client, policy_officer, case):
    client.force_login(policy_officer)
    data = {
        "organization": case.organization_id,
        "title": case.title,
        "slug": case.slug,
        "summary": "要約",
        "body": "本文",
        "is_published": "on",
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        "photos-0-image": SimpleUploadedFile("p.jpg", picture((2400, 1800)), content_type="image/jpeg"),
        "photos-0-alt_text": "出発式で手を振る住民",
        "photos-0-caption": "助け合い事業の出発式",
        "photos-0-order": "1",
    }
    response = client.post(f"/admin/organizations/casestudy/{case.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    photo = case.photos.get()
    assert (photo.width, photo.height, photo.caption) == (1600, 1200, "助け合い事業の出発式")


def test_a_photo_is_revalidated_on_every_use_so_a_removed_one_is_gone_at_once(client, case):
    """Issue 32, item 6: photos went out with `public, max-age=3600`, so one removed for privacy stayed in
    browsers and proxies for an hour. Now every use asks again: 304 while it is unchanged, 404 once removed."""
    form_for(case, picture((80, 60))).save()
    photo = case.photos.get()
    url = photo.get_absolute_url()
    response = client.get(url)
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "no-cache" in directives and not any(d.startswith("max-age=") and d != "max-age=0" for d in directives)
    etag = response["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    photo.delete()
    assert client.get(url, headers={"if-none-match": etag}).status_code == 404


def test_a_replaced_photo_gets_a_new_etag(client, case):
    form_for(case, picture((80, 60))).save()
    photo = case.photos.get()
    etag = client.get(photo.get_absolute_url())["ETag"]
    photo.image.save("other.jpg", ContentFile(picture((60, 80))), save=True)
    response = client.get(photo.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 200 and response["ETag"] != etag
