"""The library's admin form: an uploaded document goes through the attachments' checks
(niimi_portal.lib.uploads.check_pdf), as meeting attachments and photos do."""

from django import forms
from django.core.files.uploadedfile import UploadedFile

from library.models import LibraryDocument
from niimi_portal.lib.uploads import check_pdf

# Larger than an attachment's 10 MB: a handbook or a 市報 issue is a long, illustrated PDF. An assumption
# the city must confirm against its largest publication.
MAX_FILE_MEGABYTES = 50


class LibraryDocumentForm(forms.ModelForm):
    class Meta:
        model = LibraryDocument
        fields = [
            "title", "category", "description", "published_on", "order", "file", "external_url", "is_published",
            "is_demo",
        ]  # fmt: skip
        help_texts = {
            "file": f"PDFのみ、{MAX_FILE_MEGABYTES}MBまで（中身で判定します）。"
            "スクリプト（自動で動くプログラム）や埋め込みファイルを含むPDFは登録できません。",
        }

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):  # a new upload; a file already stored was checked when it came
            check_pdf(file, max_bytes=MAX_FILE_MEGABYTES * 1024 * 1024)
        return file
