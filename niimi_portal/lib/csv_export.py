"""One CSV writer for every export: UTF-8 with a BOM (Excel opens it as UTF-8), Japanese headers,
CRLF line ends (RFC 4180), and a guard against spreadsheet formulas; the same guard for the cells of an .xlsx
(`spreadsheet_cell`), and one attachment response for every download (`download_response`).

A cell that starts with =, +, -, @, a tab or a carriage return would run as a formula in Excel or
LibreOffice (CSV injection); such a cell is written with a leading apostrophe, which the spreadsheet
shows as text. Numbers (int) are written as they are, so negative amounts stay numbers.
"""

import csv
import datetime
import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The cell as text a spreadsheet will not run: None → "", dates in ISO form, guarded text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def spreadsheet_cell(value):
    """A cell for an .xlsx written with openpyxl: numbers and dates as they are (the sheet formats them), text
    guarded like the CSV's, since openpyxl stores a string that starts with = as a formula."""
    if value is None or isinstance(value, int | float | datetime.date):
        return value
    return safe_cell(value)


def csv_text(header, rows):
    """The whole CSV (with its BOM) for `header` (a list of column names) and `rows` (iterables)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_response(content, filename, content_type, *, cache_control="private, no-store"):
    """`content` as an attachment named `filename` (Japanese allowed), kept by no cache unless told."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    if cache_control:
        response["Cache-Control"] = cache_control
    return response


def csv_response(filename, header, rows, *, cache_control="private, no-store"):
    """An attachment download of `csv_text(header, rows)` named `filename` (Japanese allowed)."""
    return download_response(csv_text(header, rows), filename, "text/csv; charset=utf-8", cache_control=cache_control)
