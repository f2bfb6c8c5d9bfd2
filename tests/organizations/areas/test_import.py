"""Areas and 住民基本台帳 figures from the city's CSV and Excel files: through the admin (upload, preview
with a dry run, save) and the command, all or nothing, with each bad row named; and back out again."""

import datetime
import io
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from organizations import imports
from organizations.models import Region, RegionStatistic

DAY = datetime.date(2026, 4, 1)
TIMES = {}


@pytest.fixture
def tree(db):
    """新見 with one 学区 of 1,000 大字, and 大佐 with 大佐小学校区 and its three 大字."""
    niimi = Region.objects.create(name="新見", name_kana="にいみ", kind="town", order=1)
    school = Region.objects.create(name="新見南小学校区", name_kana="にいみみなみ", kind="school", parent=niimi)
    Region.objects.bulk_create(
        Region(name=f"大字{i:04d}", name_kana="おおあざ", kind="oaza", parent=school, slug=f"oaza-{i}")
        for i in range(1000)
    )
    osa = Region.objects.create(name="大佐", name_kana="おおさ", kind="town", order=2)
    osa_school = Region.objects.create(name="大佐小学校区", name_kana="おおさしょう", kind="school", parent=osa)
    for name in ("大佐小阪部", "大佐田治部", "大佐永富"):
        Region.objects.create(name=name, name_kana="おおさ", kind="oaza", parent=osa_school)
    return niimi


def statistics_rows(count=3000):
    """`count` rows: 1,000 大字 at three reference dates."""
    dates = ["2024-04-01", "令和7年4月1日", "2026/4/1"]
    return [
        [
            dates[i // 1000],
            "新見",
            "新見南小学校区",
            f"大字{i % 1000:04d}",
            "",
            str(100 + i % 50),
            f"{40 + i % 20:,}",
            "",
        ]
        for i in range(count)
    ]


def as_csv(rows, header=None, encoding="utf-8-sig"):
    header = header or imports.COLUMNS["statistics"]
    text = "\r\n".join(",".join(f'"{cell}"' if "," in cell else cell for cell in row) for row in [header, *rows])
    return text.encode(encoding)


def as_xlsx(rows, header=None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header or imports.COLUMNS["statistics"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bad_file():
    rows = statistics_rows(20)
    rows[4][5] = "たくさん"  # row 6: the population is not a number
    rows[9][3] = "存在しない大字"  # row 11: no such area
    rows[14][0] = "2026-13-45"  # row 16: no such date
    return as_csv(rows)


# -- through the admin -----------------------------------------------------------------------------------


URL = "/admin/organizations/regionstatistic/import/"


def test_clerk_previews_then_saves_3000_rows_through_the_admin(clerk, tree):
    content = as_xlsx(statistics_rows())
    started = time.perf_counter()
    preview = clerk.post(URL, {"file": SimpleUploadedFile("住民基本台帳.xlsx", content)})
    html = preview.content.decode()
    assert preview.status_code == 200 and "3000行を確かめました" in html and "新規 3000件" in html
    assert RegionStatistic.objects.count() == 0  # the dry run saved nothing
    saved = clerk.post(URL, {"payload": preview.context["payload"], "filename": "住民基本台帳.xlsx", "action": "save"})
    TIMES["admin"] = time.perf_counter() - started
    print(f"\n3,000 rows through the admin (preview + save): {TIMES['admin']:.2f} s")
    assert saved.status_code == 302
    assert RegionStatistic.objects.count() == 3000
    assert RegionStatistic.objects.filter(reference_date=datetime.date(2025, 4, 1)).count() == 1000  # 令和7年
    assert RegionStatistic.objects.get(region__name="大字0001", reference_date=DAY).households == 41


def test_a_file_with_three_bad_rows_saves_nothing_and_names_each_row(clerk, tree):
    response = clerk.post(URL, {"file": SimpleUploadedFile("bad.csv", bad_file()), "action": "save"})
    html = response.content.decode()
    assert "3行に誤りがあります。何も保存していません。" in html
    assert "6行目: 人口「たくさん」は0以上の整数で入力してください。" in html
    assert "11行目: 地域「新見／新見南小学校区／存在しない大字」は登録されていません" in html
    assert "16行目: 基準日「2026-13-45」が日付として読めません" in html
    assert ">この内容で保存する</button>" not in html
    assert RegionStatistic.objects.count() == 0


def test_a_file_of_the_wrong_kind_is_refused_beside_the_field(clerk, tree):
    response = clerk.post(URL, {"file": SimpleUploadedFile("memo.txt", b"hello")})
    assert "CSV（.csv）か Excel（.xlsx）のファイルを選んでください。" in response.content.decode()
    response = clerk.post(URL, {"file": SimpleUploadedFile("a.csv", as_csv([], header=["地域", "人数"]))})
    assert "必要な列「基準日」「旧市町」" in response.content.decode()


def test_a_liaison_cannot_import(client, assigned_liaison, tree):
    client.force_login(assigned_liaison)
    response = client.post(URL, {"file": SimpleUploadedFile("s.csv", as_csv(statistics_rows(3)))})
    assert response.status_code == 302 and RegionStatistic.objects.count() == 0  # to the admin login


# -- through the command ---------------------------------------------------------------------------------


def test_command_imports_3000_rows_and_a_second_run_updates_nothing(tree, tmp_path, capsys):
    path = tmp_path / "statistics.csv"
    path.write_bytes(as_csv(statistics_rows()))
    started = time.perf_counter()
    call_command("import_areas", str(path), kind="statistics")
    TIMES["command"] = time.perf_counter() - started
    assert RegionStatistic.objects.count() == 3000
    assert "3,000行（新規 3,000、更新 0" in capsys.readouterr().out
    with capsys.disabled():
        print(f"\n3,000 rows through the command: {TIMES['command']:.2f} s")
    call_command("import_areas", str(path), kind="statistics")
    assert "新規 0、更新 0" in capsys.readouterr().out


def test_command_dry_run_saves_nothing(tree, tmp_path, capsys):
    path = tmp_path / "statistics.csv"
    path.write_bytes(as_csv(statistics_rows(10), encoding="cp932"))  # Shift_JIS as Excel saves it
    call_command("import_areas", str(path), kind="statistics", dry_run=True)
    assert "保存せずに確かめました: 10行" in capsys.readouterr().out
    assert RegionStatistic.objects.count() == 0


def test_command_with_three_bad_rows_saves_nothing_and_names_each_row(tree, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(bad_file())
    with pytest.raises(CommandError, match="3行に誤りがあります。何も保存していません。"):
        call_command("import_areas", str(path), kind="statistics")
    errors = capsys.readouterr().err
    assert [line.split("行目")[0] for line in errors.splitlines()] == ["6", "11", "16"]
    assert RegionStatistic.objects.count() == 0


# -- areas, and the round trip ----------------------------------------------------------------------------


def test_areas_file_builds_the_tree_parents_first(db, tmp_path):
    rows = [
        ["大佐", "大佐小学校区", "大佐田治部", "", "おおさたじべ", ""],
        ["大佐", "", "", "", "おおさ", ""],
        ["大佐", "大佐小学校区", "", "", "おおさしょうがっこうく", "小学校区"],
        ["大佐", "大佐小学校区", "大佐田治部", "上町", "かみまち", ""],
        ["新見", "熊野", "", "", "くまの", "旧小学校区"],
    ]
    header = imports.COLUMNS["areas"]
    (tmp_path / "areas.xlsx").write_bytes(as_xlsx([[*row] for row in rows[:4]], header=header))
    call_command("import_areas", str(tmp_path / "areas.xlsx"), kind="areas")
    district = Region.objects.get(name="上町")
    assert [a.name for a in district.ancestors] == ["大佐", "大佐小学校区", "大佐田治部"]
    assert district.kind == "district" and district.slug == "上町"
    result = imports.import_table(as_csv(rows[4:], header=header), "a.csv", kind="areas")
    assert result.errors == [(2, "「新見／熊野」の上位の地域「新見」が登録されていません。")]
    assert not Region.objects.filter(name="熊野").exists()


def test_export_reads_back_the_same(tree, tmp_path):
    imports.import_table(as_csv(statistics_rows(30)), "s.csv", kind="statistics")
    for form in ("csv", "xlsx"):
        path = tmp_path / f"out.{form}"
        call_command("export_areas", kind="statistics", output=str(path))
        RegionStatistic.objects.update(population=1)
        result = imports.import_table(path.read_bytes(), path.name, kind="statistics")
        assert result.ok and result.updated == 30
        assert sorted(RegionStatistic.objects.values_list("population", flat=True))[:3] == [100, 101, 102]
    header, rows = imports.export_rows("areas")
    assert header == imports.COLUMNS["areas"] and rows[0][:4] == ["新見", "", "", ""]
    assert imports.import_table(imports.export_xlsx("areas"), "a.xlsx", kind="areas").updated == 0


def test_admin_export_downloads_both_forms(clerk, tree):
    response = clerk.get("/admin/organizations/region/export/xlsx/")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in next(book.active.iter_rows())] == imports.COLUMNS["areas"]
    response = clerk.get("/admin/organizations/regionstatistic/export/csv/")
    assert response.content.decode("utf-8-sig").startswith("基準日,旧市町,学区,大字,行政区,人口,世帯数,出典")


# -- new areas through the admin, and every error at once ------------------------------------------------


AREAS_URL = "/admin/organizations/region/import/"


def test_clerk_previews_then_saves_a_new_area_through_the_admin(clerk, tree):
    row = ["大佐", "大佐小学校区", "大佐君山", "", "おおさきみやま", ""]
    content = as_csv([row], header=imports.COLUMNS["areas"])
    preview = clerk.post(AREAS_URL, {"file": SimpleUploadedFile("地域.csv", content)})
    html = preview.content.decode()
    assert preview.status_code == 200 and "1行を確かめました" in html and "新規 1件" in html
    assert "大佐君山" in html
    assert not Region.objects.filter(name="大佐君山").exists()  # the dry run saved nothing
    saved = clerk.post(AREAS_URL, {"payload": preview.context["payload"], "filename": "地域.csv", "action": "save"})
    assert saved.status_code == 302
    oaza = Region.objects.get(name="大佐君山")
    assert oaza.parent.name == "大佐小学校区" and oaza.kind == "oaza" and oaza.town.name == "大佐"


def test_clerk_previews_a_new_area_from_an_xlsx_file(clerk, tree):
    rows = [
        ["新見", "新見北小学校区", "", "", "にいみきた", "小学校区"],
        ["新見", "新見北小学校区", "大字北", "", "きた", ""],
    ]
    content = as_xlsx(rows, header=imports.COLUMNS["areas"])
    preview = clerk.post(AREAS_URL, {"file": SimpleUploadedFile("地域.xlsx", content)})
    assert preview.status_code == 200 and "新規 2件" in preview.content.decode()
    assert not Region.objects.filter(name__in=["新見北小学校区", "大字北"]).exists()


def test_a_typo_and_an_unknown_oaza_are_both_named_in_one_pass(clerk, tree):
    rows = [
        ["大佐", "大佐小学校区", "大佐君山", "", "オオサキミヤマ", ""],  # row 2: よみ in katakana
        ["大佐", "大佐小学校区", "存在しない大字", "上町", "かみまち", ""],  # row 3: its 大字 is not registered
        ["大佐", "大佐小学校区", "大佐新田", "", "おおさしんでん", ""],  # row 4: good
        ["大佐", "大佐小学校区", "大佐新田", "下町", "しもまち", ""],  # row 5: good, its 大字 is in row 4
    ]
    response = clerk.post(
        AREAS_URL, {"file": SimpleUploadedFile("地域.csv", as_csv(rows, header=imports.COLUMNS["areas"]))}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "2行に誤りがあります。何も保存していません。" in html
    assert "2行目: よみ「オオサキミヤマ」はひらがなで入力してください。" in html
    assert (
        "3行目: 「大佐／大佐小学校区／存在しない大字／上町」の上位の地域「大佐／大佐小学校区／存在しない大字」" in html
    )
    assert not Region.objects.filter(name__in=["大佐君山", "上町", "大佐新田", "下町"]).exists()


def test_an_area_the_city_calls_a_chiku_imports_and_exports_as_such(db):
    """地区: the city's word for an area it names without saying it is a 旧小学校区 (「唐松・広瀬地区」)."""
    header = imports.COLUMNS["areas"]
    rows = [["新見", "", "", "", "にいみ", ""], ["新見", "広瀬", "", "", "ひろせ", "地区"]]
    result = imports.import_table(as_csv(rows, header=header), "a.csv", kind="areas")
    assert result.ok, result.errors
    hirose = Region.objects.get(name="広瀬")
    assert hirose.kind == Region.Kind.AREA and hirose.get_kind_display() == "地区"
    _, exported = imports.export_rows("areas")
    assert [row[-1] for row in exported if row[1] == "広瀬"] == ["地区"]
    wrong = imports.import_table(
        as_csv([["新見", "井倉野", "", "", "いくらの", "校区"]], header=header), "b.csv", kind="areas"
    )
    assert "「小学校区」「旧小学校区」「地区」のどれか" in str(wrong.errors)
