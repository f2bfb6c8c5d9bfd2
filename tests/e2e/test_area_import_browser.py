"""The area import in real Chromium: a clerk uploads a CSV with a new 大字 through the admin, sees it in the
preview (nothing saved yet), saves it, and finds it in the list of areas. The preview of a new area used to
end in an English 500 page (TransactionManagementError)."""

from organizations import imports
from organizations.models import Region
from tests.e2e.conftest import axe_violations, browser_login


def a_school_district():
    """(旧市町, 学区) of a 学区 of the demo, the parent of the new 大字."""
    return next(path[:2] for path in imports.region_paths() if path[1] and not path[2])


def test_clerk_imports_a_new_area_through_the_preview_and_saves_it(page, axe, demo_live, tmp_path):
    base = demo_live.url
    town, school = a_school_district()
    csv_file = tmp_path / "新しい大字.csv"
    header = ",".join(imports.COLUMNS["areas"])
    csv_file.write_text(f"{header}\r\n{town},{school},試験の大字,,しけんのおおあざ,\r\n", encoding="utf-8-sig")

    browser_login(page, base, "seisaku", admin=True)
    page.goto(base + "/admin/organizations/region/import/")
    page.locator("#id_file").set_input_files(str(csv_file))
    page.get_by_role("button", name="内容を確かめる（保存しない）").click()
    summary = page.locator("#import-summary")
    summary.wait_for()
    assert "1行を確かめました" in summary.inner_text() and "新規 1件" in summary.inner_text()
    assert "試験の大字" in page.locator("#import-preview").inner_text()
    assert axe_violations(axe, page) == []
    assert not Region.objects.filter(name="試験の大字").exists()  # the preview saved nothing

    page.get_by_role("button", name="この内容で保存する").click()
    page.wait_for_url(base + "/admin/organizations/region/")
    assert "1行を読み込みました（新規 1、更新 0）" in page.locator(".messagelist").inner_text()
    oaza = Region.objects.get(name="試験の大字")
    assert (oaza.parent.name, oaza.kind, oaza.name_kana) == (school, "oaza", "しけんのおおあざ")
