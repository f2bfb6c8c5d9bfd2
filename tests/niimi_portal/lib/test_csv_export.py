import csv
import datetime
import io

import pytest

from niimi_portal.lib.csv_export import BOM, csv_response, csv_text, safe_cell


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_that_a_spreadsheet_would_run_are_kept_as_text(start):
    assert safe_cell(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"


def test_numbers_dates_and_empty_cells_are_written_as_they_are():
    assert safe_cell(-600) == "-600"
    assert safe_cell(None) == ""
    assert safe_cell(datetime.date(2026, 4, 1)) == "2026-04-01"
    assert safe_cell("熊野") == "熊野"


def test_the_text_starts_with_a_bom_and_reads_back_as_rows():
    text = csv_text(["名前", "金額"], [["=1+1", 5], ["唐松", None]])
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert rows == [["名前", "金額"], ["'=1+1", "5"], ["唐松", ""]]
    assert "\r\n" in text


def test_the_response_is_a_private_attachment_with_a_japanese_name():
    response = csv_response("会議記録.csv", ["a"], [["b"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert "filename*=utf-8''" in response["Content-Disposition"]
