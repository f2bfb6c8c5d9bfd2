"""Issue 32, item 6: the low findings of the outside test of main (production settings, gunicorn), each
with a test that failed before its fix. (The two stale pages are tests/niimi_portal/test_page_invalidation.py.)"""

import io
import subprocess

import openpyxl
import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from library.models import LibraryDocument
from organizations import imports
from tests.production import PYTHON, ROOT, production_env
from tests.staff.conftest import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


# -- /_baseline, a benchmark view, answered in production -------------------------------------------


def test_the_benchmark_baseline_is_off_in_production_settings(tmp_path):
    env = production_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    code = "import django; django.setup(); from django.conf import settings; print(settings.BENCHMARK_BASELINE)"
    result = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_the_benchmark_baseline_is_not_found_unless_the_setting_allows_it(client, settings):
    settings.BENCHMARK_BASELINE = False
    assert client.get("/_baseline").status_code == 404
    settings.BENCHMARK_BASELINE = True
    response = client.get("/_baseline")
    assert response.status_code == 200 and response.content == b"ok"


# -- library uploads: the attachment checks, and served as a download --------------------------------

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def pdf_with_open_action_javascript():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def add_document(client, name, content):
    data = {
        "title": "新しい様式", "category": "form", "description": "", "published_on": "", "order": "0",
        "external_url": "", "is_published": "on", "file": SimpleUploadedFile(name, content),
    }  # fmt: skip
    return client.post("/admin/library/librarydocument/add/", data)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("様式.pdf", pdf_with_open_action_javascript(), "JavaScriptや埋め込みファイルが含まれているため"),
        ("様式.pdf", HTML, "PDFではありません"),
        ("様式.pdf", image_bytes("PNG"), "PDFではありません"),
    ],
    ids=["javascript-open-action", "html-named-pdf", "png-named-pdf"],
)
def test_a_library_upload_with_javascript_or_that_is_not_a_pdf_is_refused_beside_the_field(
    client, policy_officer, name, content, message
):
    client.force_login(policy_officer)
    response = add_document(client, name, content)
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["file"])
    assert not LibraryDocument.objects.filter(title="新しい様式").exists()


def test_a_plain_pdf_is_stored_and_served_as_a_download_that_is_never_sniffed(client, policy_officer):
    client.force_login(policy_officer)
    response = add_document(client, "様式.pdf", pdf_bytes())
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    document = LibraryDocument.objects.get(title="新しい様式")
    client.logout()
    served = client.get(f"/documents/{document.pk}/file/")
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content).startswith(b"%PDF")


def test_a_file_stored_before_the_check_is_served_as_a_download_too(client):
    """A file the old admin took (HTML named .pdf) is no longer opened in the browser as a page."""
    document = LibraryDocument(title="古い資料", category="form", is_published=True)
    document.file.save("old.pdf", ContentFile(HTML), save=True)
    served = client.get(f"/documents/{document.pk}/file/")
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff" and served["Content-Type"] == "application/pdf"


# -- the area import: blank rows count against the row limit ------------------------------------------


def xlsx_of(rows):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def whitespace_rows(count):
    header = ["基準日", "旧市町", "学区", "大字", "人口", "世帯数"]
    return [header, *([" ", "\t", " ", "", "", ""] for _ in range(count))]


@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_a_file_of_blank_rows_is_refused_at_the_row_limit(settings, form):
    """The outside test's 1.5 M whitespace rows (215 KB of .xlsx) held a worker 120 s: blank rows were
    skipped before the limit was counted. Here the same with a limit of 100 rows."""
    settings.AREA_IMPORT_MAX_ROWS = 100
    rows = whitespace_rows(1_000)
    content = xlsx_of(rows) if form == "xlsx" else "\r\n".join(map(",".join, rows)).encode()
    with pytest.raises(imports.ImportFileError, match="100行まで"):
        imports.read_table(content, f"人口.{form}")


def test_blank_rows_within_the_limit_are_still_skipped(settings):
    settings.AREA_IMPORT_MAX_ROWS = 100
    rows = whitespace_rows(50)
    rows.insert(10, ["2026-04-01", "新見", "唐松", "", "120", "50"])
    header, table = imports.read_table(xlsx_of(rows), "人口.xlsx")
    assert header[0] == "基準日" and [number for number, _ in table] == [11]


def test_a_workbook_whose_xml_is_larger_than_the_row_limit_allows_is_refused_unread(settings):
    """openpyxl reads a sheet without <dimension> to its end before the first row; the stated unpacked size
    of the zip's members is checked first."""
    settings.AREA_IMPORT_MAX_ROWS = 100
    content = xlsx_of(whitespace_rows(20_000))
    assert len(content) < 500_000  # small on the wire, several MB of XML
    with pytest.raises(imports.ImportFileError, match="Excelファイルの中身が大きすぎます"):
        imports.read_table(content, "人口.xlsx")
