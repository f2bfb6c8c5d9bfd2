"""Case-study photos for the web: checked like meeting attachments (niimi_portal.lib.uploads: by content, size,
pixel count, a whole image), then re-encoded with Pillow as a JPEG of at most 1600 px a side.

Re-encoding turns the picture the right way up (EXIF orientation) and drops everything but the
pixels: the camera's metadata, often with the place it was taken, never reaches the public page.
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from niimi_portal.lib.uploads import check_attachment

MAX_SIDE = 1600
JPEG_QUALITY = 82


def web_photo(upload):
    """(ContentFile of the JPEG, width, height) for an uploaded photo, or ValidationError in Japanese."""
    checked = check_attachment(upload)
    if not checked.content_type.startswith("image/"):
        raise ValidationError(f"「{checked.original_name}」は写真ではありません。JPEG か PNG の写真を選んでください。")
    upload.seek(0)
    with Image.open(upload) as source:
        image = ImageOps.exif_transpose(source)
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        else:
            image = image.convert("RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    upload.seek(0)
    return ContentFile(out.getvalue(), name="photo.jpg"), image.width, image.height
