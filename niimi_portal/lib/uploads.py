"""Attachments, in one place: what a file may be (a PDF, JPEG or PNG of at most 10 MB, judged by its
content, not its name), the form field that takes several, where a file is stored, and how it is
served back.

- Images are decoded and written anew (`_reencoded`): what is stored is only the picture, so markup
  glued to a photo, a truncated JPEG and the photo's EXIF data (the GPS position of a resident's
  home, the camera, the time) never reach the server's disk.
- A PDF with JavaScript, a launch action or embedded files is refused: the city's staff open these
  files in their own viewers. `check_pdf` applies the same checks where only PDFs are taken (the library).
- A download is named by the type the content turned out to be (`議事録.html` that is a PNG is
  served as `議事録.png`), streamed, private and never cached.
- Every attachment model inherits `StoredUpload` (the same six fields everywhere) and is written by
  `attachment_store`, the one place that saves a file and its row together.
"""

import io
import uuid
from dataclasses import dataclass
from pathlib import PurePath

import filetype
import pikepdf
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import models
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from niimi_portal.lib.history import record_change
from niimi_portal.lib.refusal import refuse

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_UPLOAD = 10
# MIME type found in the content → (extension we store it under, Pillow's name for it or None for PDF).
ALLOWED = {
    "application/pdf": ("pdf", None),
    "image/jpeg": ("jpg", "JPEG"),
    "image/png": ("png", "PNG"),
}
ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
HELP_TEXT = "PDF・JPEG・PNG、1ファイル10MBまで。複数選べます。"
SIGNATURE_BYTES = 8192
JPEG_QUALITY = 90
# PDF keys that run code or carry other files: JavaScript, launch actions, embedded files, attachments.
PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/EF"}
PDF_ACTIVE_NAMES = {"/JavaScript", "/Launch", "/EmbeddedFile", "/FileAttachment", "/ImportData", "/RichMedia"}
PDF_MAX_OBJECTS = 200_000  # a bound on the walk, far above any minutes or receipt


@dataclass(frozen=True)
class CheckedUpload:
    """An uploaded file that passed the checks, with what its content turned out to be. For an image,
    `file` holds the re-encoded picture (no EXIF) and `size` its size."""

    file: object
    original_name: str
    content_type: str
    extension: str
    size: int

    @property
    def storage_name(self):
        """Only the extension matters: `upload_path` generates the stored name."""
        return f"attachment.{self.extension}"


def check_attachment(upload):
    """Return a CheckedUpload, or raise ValidationError (in Japanese) naming the file and what is wrong."""
    if isinstance(upload, CheckedUpload):
        return upload
    name = _sized_name(upload, MAX_ATTACHMENT_BYTES)
    kind = _detected_type(upload)
    if kind is None or kind.mime not in ALLOWED:
        raise ValidationError(
            f"「{name}」はPDF・JPEG・PNGのどれでもありません（ファイルの中身で判定しています）。"
            "この3種類のファイルだけ添付できます。",
            code="wrong_type",
        )
    extension, pillow_format = ALLOWED[kind.mime]
    if pillow_format:
        _check_image(upload, name, pillow_format)
        content = _reencoded(upload, name, pillow_format)
        upload.seek(0)
        return CheckedUpload(
            file=ContentFile(content, name=f"attachment.{extension}"),
            original_name=name[:255],
            content_type=kind.mime,
            extension=extension,
            size=len(content),
        )
    _check_pdf(upload, name)
    upload.seek(0)
    return CheckedUpload(
        file=upload, original_name=name[:255], content_type=kind.mime, extension=extension, size=upload.size
    )


def check_pdf(upload, *, max_bytes=MAX_ATTACHMENT_BYTES):
    """The attachment checks for a place that takes PDFs only (the library's documents): a CheckedUpload
    of a complete PDF without JavaScript, launch actions or embedded files, judged by its content (an HTML
    page named .pdf is refused), else ValidationError."""
    if isinstance(upload, CheckedUpload):
        return upload
    name = _sized_name(upload, max_bytes)
    kind = _detected_type(upload)
    if kind is None or kind.mime != "application/pdf":
        raise ValidationError(
            f"「{name}」はPDFではありません（ファイルの中身で判定しています）。PDFファイルだけ登録できます。",
            code="wrong_type",
        )
    _check_pdf(upload, name)
    upload.seek(0)
    return CheckedUpload(
        file=upload, original_name=name[:255], content_type=kind.mime, extension="pdf", size=upload.size
    )


def _sized_name(upload, max_bytes):
    """The file's own name, once it is neither empty nor larger than `max_bytes`."""
    name = PurePath(upload.name or "").name or "（名前のないファイル）"
    if upload.size > max_bytes:
        raise ValidationError(
            f"「{name}」は {filesizeformat(upload.size)} あります。"
            f"1ファイル{max_bytes // (1024 * 1024)}MBまでにしてください。",
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(f"「{name}」は空のファイルです。", code="empty")
    return name


def _detected_type(upload):
    """What the first bytes say the file is (filetype's guess, or None)."""
    upload.seek(0)
    return filetype.guess(upload.read(SIGNATURE_BYTES))


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
                raise _broken_image(name)
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(name) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _broken_image(name) from error


def _reencoded(upload, name, pillow_format):
    """The picture decoded in full and written anew: EXIF (GPS included), comments and anything after
    the image data are gone; the EXIF orientation is applied first so the photo stays upright."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.load()  # decodes every pixel: a truncated JPEG fails here, where verify() let it pass
            upright = ImageOps.exif_transpose(image)
            options = {}
            if icc := image.info.get("icc_profile"):
                options["icc_profile"] = icc  # the colours, not personal data
            if pillow_format == "JPEG":
                if upright.mode not in ("RGB", "L", "CMYK"):
                    upright = upright.convert("RGB")
                options.update(quality=JPEG_QUALITY, optimize=True)
            elif "transparency" in image.info and upright.mode in ("P", "L", "RGB"):
                options["transparency"] = image.info["transparency"]
            out = io.BytesIO()
            upright.save(out, format=pillow_format, **options)
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(name) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _broken_image(name) from error
    return out.getvalue()


def _broken_image(name):
    return ValidationError(f"「{name}」は画像として読み取れません。", code="broken_image")


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
    upload.seek(0)
    try:
        with pikepdf.open(io.BytesIO(upload.read())) as pdf:
            active = _has_active_content(pdf)
    except pikepdf.PasswordError as error:
        raise ValidationError(
            f"「{name}」はパスワードで保護されたPDFです。保護を外してから添付してください。", code="encrypted_pdf"
        ) from error
    except (pikepdf.PdfError, ValueError, RecursionError) as error:
        raise ValidationError(f"「{name}」はPDFとして読み取れません。", code="broken_pdf") from error
    if active:
        raise ValidationError(
            f"「{name}」にはJavaScriptや埋め込みファイルが含まれているため、添付できません。"
            "印刷用のPDF（「PDFとして保存」など）に保存し直してから添付してください。",
            code="active_pdf",
        )


def _has_active_content(pdf):
    """True when any object of the PDF holds JavaScript, a launch action or an embedded file."""
    stack, seen, visited = [pdf.trailer], set(), 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        visited += 1
        if visited > PDF_MAX_OBJECTS:
            return True  # too large to judge: treat as unsafe rather than read on
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            dictionary = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
            keys = set(dictionary.keys())
            if keys & PDF_ACTIVE_KEYS:
                return True
            for key in ("/S", "/Subtype", "/Type"):
                if key in dictionary and str(dictionary[key]) in PDF_ACTIVE_NAMES:
                    return True
            stack.extend(dictionary[key] for key in keys)
        elif isinstance(obj, pikepdf.Array):
            stack.extend(obj)
    return False


# -- the form field ------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": ACCEPT, **(attrs or {})})


class MultipleFileField(forms.FileField):
    """Several files in one input (phones pick several photos at once), at most MAX_ATTACHMENTS_PER_UPLOAD;
    each is checked by content. Cleans to a list of CheckedUpload."""

    widget = MultipleFileInput

    def __init__(self, *, max_count=MAX_ATTACHMENTS_PER_UPLOAD, **kwargs):
        kwargs.setdefault("help_text", HELP_TEXT)
        self.max_count = max_count
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(uploads) > self.max_count:
            raise ValidationError(f"一度に添付できるのは{self.max_count}ファイルまでです。", code="too_many_files")
        if not uploads and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(check_attachment(super().clean(upload, initial)))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


# -- storing and serving -------------------------------------------------------------------------


def upload_path(folder, filename):
    """A generated name under MEDIA_ROOT (`folder/2026/11/<random>.pdf`); the uploader's file name is
    kept only as data. Models' `upload_to` functions call this."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def stored_upload_path(instance, filename):
    """`upload_to` of every StoredUpload: a generated name under the model's `upload_folder`."""
    return upload_path(instance.upload_folder, filename)


class StoredUpload(models.Model):
    """A stored attachment: the file under a generated name, what the uploader called it, what its
    content is, its size, who uploaded it and when. A concrete model adds the ForeignKey to what the
    file belongs to and names its `upload_folder`. The uploader's account may be deleted: the file
    stays, its uploader becomes empty."""

    upload_folder = "attachments"

    file = models.FileField("ファイル", upload_to=stored_upload_path)
    original_name = models.CharField("元のファイル名", max_length=255)
    content_type = models.CharField("種類", max_length=100)
    size = models.PositiveIntegerField("サイズ（バイト）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登録者",
    )
    uploaded_at = models.DateTimeField("登録日時", default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


def attachment_store(model, files, *, by, reason=None, field="attachments", **owner):
    """Store `files` as rows of `model` (a StoredUpload) belonging to `owner` (`meeting=…`). Every file
    is checked (and an image re-encoded) before any is saved, so a refused file stores nothing: the
    refusal names `field`. If a row cannot be written, the files saved so far are deleted again.
    Call inside the caller's transaction; returns the new rows."""
    checked = []
    for upload in files:
        try:
            checked.append(check_attachment(upload))
        except ValidationError as error:
            refuse(error.messages, field=field)
    stored = []
    try:
        for upload in checked:
            attachment = model(
                **owner,
                original_name=upload.original_name,
                content_type=upload.content_type,
                size=upload.size,
                uploaded_by=by,
            )
            attachment.file.save(upload.storage_name, File(upload.file), save=False)
            stored.append(attachment)
            record_change(attachment, by=by, reason=reason)
            attachment.save()
    except Exception:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return stored


def download_name(original_name, content_type):
    """The uploader's name with the extension of the type the content is: 議事録.html (a PNG) → 議事録.png."""
    extension = ALLOWED.get(content_type, ("bin", None))[0]
    stem = PurePath(original_name or "").stem.strip() or "添付ファイル"
    return f"{stem}.{extension}"


def private_download(attachment):
    """Stream a stored attachment (a model with `file`, `original_name`, `content_type`) as a download
    named by its detected type; never cached. The caller has checked who may have it."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=download_name(attachment.original_name, attachment.content_type),
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
