"""Photos for the case-photo tests: a picture of a given size and format, and the admin's photo form for it."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from organizations.admin import CaseStudyPhotoForm
from organizations.models import CaseStudyPhoto


def picture(size=(3000, 2000), form="JPEG", mode="RGB", gps=False):
    image = Image.new(mode, size, (200, 120, 40, 128) if mode == "RGBA" else (200, 120, 40))
    out = io.BytesIO()
    extra = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "CameraMaker"  # Make
        exif[0x8825] = {1: "N", 2: (34.0, 58.0, 0.0)}  # GPSInfo: where the photo was taken
        extra["exif"] = exif
    image.save(out, form, **extra)
    return out.getvalue()


def form_for(case, content, name="photo.jpg", **data):
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return CaseStudyPhotoForm(
        {"alt_text": "付せんを貼って話し合う住民", "caption": "公民館でのワークショップ", "order": 1, **data},
        {"image": upload},
        instance=CaseStudyPhoto(case=case),
    )
