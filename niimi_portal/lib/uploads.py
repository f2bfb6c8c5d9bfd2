"""What a meeting attachment may be: a PDF, JPEG or PNG of at most 10 MB, judged by its content, not its name."""

from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_UPLOAD = 10
# MIME type found in the content → (extension we store it under, Pillow's name for it or None for PDF).
ALLOWED = {
    "application/pdf": ("pdf", None),
    "image/jpeg": ("jpg", "JPEG"),
    "image/png": ("png", "PNG"),
}
ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
SIGNATURE_BYTES = 8192


@dataclass(frozen=True)
class CheckedUpload:
    """An uploaded file that passed the checks, with what its content turned out to be."""

    file: object
    original_name: str
    content_type: str
    extension: str
    size: int

    @property
    def storage_name(self):
        """Only the extension matters: `attachment_path` generates the stored name."""
        return f"attachment.{self.extension}"


def check_attachment(upload):
    """Return a CheckedUpload, or raise ValidationError (in Japanese) naming the file and what is wrong."""
    name = PurePath(upload.name or "").name or "（名前のないファイル）"
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            f"「{name}」は {filesizeformat(upload.size)} あります。1ファイル10MBまでにしてください。",
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(f"「{name}」は空のファイルです。", code="empty")
    upload.seek(0)
    head = upload.read(SIGNATURE_BYTES)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED:
        raise ValidationError(
            f"「{name}」はPDF・JPEG・PNGのどれでもありません（ファイルの中身で判定しています）。"
            "この3種類のファイルだけ添付できます。",
            code="wrong_type",
        )
    extension, pillow_format = ALLOWED[kind.mime]
    if pillow_format:
        _check_image(upload, name, pillow_format)
    else:
        _check_pdf(upload, name)
    upload.seek(0)
    return CheckedUpload(
        file=upload, original_name=name[:255], content_type=kind.mime, extension=extension, size=upload.size
    )


def _check_image(upload, name, pillow_format):
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            # An image bomb: a small file that would decode to more pixels than any photo has. Pillow
            # itself refuses only twice its limit (and merely warns in between).
            if image.width * image.height > Image.MAX_IMAGE_PIXELS:
                raise _too_many_pixels(name, image.size)
            image.verify()  # reads the whole file: a truncated or forged image fails here
            if image.format != pillow_format:
                raise ValidationError(f"「{name}」は画像として読み取れません。", code="broken_image")
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(name) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(f"「{name}」は画像として読み取れません。", code="broken_image") from error


def _too_many_pixels(name, size=None):
    dimensions = f"（{size[0]:,}×{size[1]:,}）" if size else ""
    return ValidationError(
        f"「{name}」は画像の画素数が多すぎます{dimensions}。"
        f"{Image.MAX_IMAGE_PIXELS // 10_000:,}万画素までの画像にしてください。",
        code="too_many_pixels",
    )


def _check_pdf(upload, name):
    # A real PDF ends with %%EOF (possibly followed by a little whitespace); a header glued to
    # something else, or a cut-off download, does not.
    upload.seek(max(upload.size - 1024, 0))
    if b"%%EOF" not in upload.read():
        raise ValidationError(
            f"「{name}」はPDFとして完全ではありません（途中で切れているようです）。", code="broken_pdf"
        )
