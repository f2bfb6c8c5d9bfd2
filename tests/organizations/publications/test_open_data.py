"""オープンデータ: CSV (UTF-8 with a BOM) and JSON in the column style of the 自治体標準オープンデータセット,
under CC BY 4.0, holding only what the public pages show."""

import datetime
import json

import pytest
from django.utils import timezone

from grants.models import GrantDecision
from niimi_portal import opendata
from niimi_portal.lib.wareki import fiscal_year_label, fiscal_year_of, wareki_date
from organizations.models import Organization
from staff.models import Assignment
from tests.organizations.publications.conftest import read_csv

pytestmark = pytest.mark.django_db

DATASETS = ["organizations", "areas", "liaisons", "grants"]
STANDARD_COLUMNS = ["全国地方公共団体コード", "ID", "地方公共団体名"]


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def every_file(client, year=None):
    """The text of every dataset in both formats (for the given fiscal year where a dataset is yearly)."""
    suffix = f"?year={year}" if year else ""
    return {
        f"{slug}.{ext}": client.get(f"/open-data/{slug}.{ext}{suffix}").content.decode("utf-8")
        for slug in DATASETS
        for ext in ("csv", "json")
    }


def test_the_page_lists_every_dataset_with_its_files_licence_and_date(client, module_demo):
    response = client.get("/open-data/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>オープンデータ | 新見市 小規模多機能自治ポータル</title>" in page
    for dataset in opendata.DATASETS.values():
        assert f'<h2 id="dataset-{dataset.slug}">{dataset.title}</h2>' in page
        assert f'href="/open-data/{dataset.slug}.csv' in page
        assert f'href="/open-data/{dataset.slug}.json' in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/deed.ja" rel="license"' in page
    assert "CC BY 4.0" in page
    assert wareki_date(timezone.localdate()) in page
    assert "（332119）" in page and "（岡山県新見市）" in page
    year = fiscal_year_of(timezone.localdate())
    for previous in (year, year - 1):  # the demo's two years of rosters and grants
        assert f'href="/open-data/liaisons.csv?year={previous}"' in page
        assert f'href="/open-data/grants.json?year={previous}"' in page
    assert 'href="/schedule.ics"' in page


@pytest.mark.parametrize("slug", DATASETS)
def test_every_csv_is_utf8_with_bom_and_starts_with_the_standard_columns(client, module_demo, slug):
    response = client.get(f"/open-data/{slug}.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    year = fiscal_year_of(timezone.localdate())
    expected_name = f"332119_{slug}_{year}.csv" if opendata.DATASETS[slug].yearly else f"332119_{slug}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{expected_name}"'
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/deed.ja>; rel="license"'
    header, *rows = read_csv(response)
    assert header[:3] == STANDARD_COLUMNS
    assert header == [c.name for c in opendata.DATASETS[slug].all_columns()]
    assert len(rows) > 1
    assert {row[0] for row in rows} == {"332119"}
    assert {row[2] for row in rows} == {"岡山県新見市"}
    ids = [row[1] for row in rows]
    assert len(set(ids)) == len(ids) and all(ids)
    assert {len(row) for row in rows} == {len(header)}
    assert b"\r\n" in response.content  # RFC 4180 line ends


@pytest.mark.parametrize("slug", DATASETS)
def test_json_states_licence_standard_and_date_and_holds_the_csv_rows(client, module_demo, slug):
    data = get_json(client, f"/open-data/{slug}.json")
    header, *rows = read_csv(client.get(f"/open-data/{slug}.csv"))
    assert data["ライセンス"] == "クリエイティブ・コモンズ 表示 4.0 国際 ライセンス（CC BY 4.0）"
    assert data["ライセンスURL"] == "https://creativecommons.org/licenses/by/4.0/deed.ja"
    assert data["データの日付"] == timezone.localdate().isoformat()
    assert data["全国地方公共団体コード"] == "332119"
    assert data["準拠する標準データセット"]
    assert data["出典の記載例"].startswith("出典：新見市 小規模多機能自治ポータル「")
    assert data["項目"] == header
    assert data["件数"] == len(rows) == len(data["データ"])
    as_text = [["" if v is None else str(v) for v in item.values()] for item in data["データ"]]
    assert as_text == rows  # the same rows, typed in JSON (numbers as numbers, null when missing)


def test_organizations_are_the_published_ones_with_readings_in_katakana(client, module_demo):
    header, *rows = read_csv(client.get("/open-data/organizations.csv"))
    by_id = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_id) == set(Organization.objects.published().values_list("slug", flat=True))
    assert Organization.objects.filter(is_published=False).exists()  # the demo's unpublished one is left out
    kumano = by_id["kumano-mirai"]
    assert kumano["名称"] == "熊野の将来を考える会"
    assert kumano["名称_カナ"] == "クマノノショウライヲカンガエルカイ"
    assert kumano["活動区域"] == "井倉野・熊野" and kumano["旧市町"] == "新見"
    assert (kumano["段階"], kumano["認可の状況"]) == ("③ 地域運営組織の設立・活動開始", "認可")
    datetime.date.fromisoformat(kumano["認可日"])
    assert kumano["URL"] == "http://testserver/organizations/kumano-mirai/"
    assert by_id["takao-fureai"]["認可日"] == ""  # not approved: no date


def test_liaisons_of_the_current_and_a_past_year(client, module_demo):
    year = fiscal_year_of(timezone.localdate())
    header, *rows = read_csv(client.get("/open-data/liaisons.csv"))
    current = [dict(zip(header, row, strict=True)) for row in rows]
    assert {r["年度_和暦"] for r in current} == {fiscal_year_label(year)}
    public = Assignment.objects.filter(fiscal_year__year=year).exclude(organization__is_published=False)
    assert len(current) == public.count()
    yamada = next(r for r in current if r["氏名"] == "山田 太郎" and r["地域運営組織"] == "熊野の将来を考える会")
    assert (yamada["氏名_カナ"], yamada["担当区分"], yamada["担当する地域"]) == (
        "ヤマダ タロウ",
        "主担当",
        "井倉野・熊野",
    )
    header, *rows = read_csv(client.get(f"/open-data/liaisons.csv?year={year - 1}"))
    assert {row[header.index("年度")] for row in rows} == {str(year - 1)}
    assert len(rows) == Assignment.objects.filter(fiscal_year__year=year - 1).count()


@pytest.mark.parametrize("year", ["1999", "abc", "-1", ""])
def test_a_year_without_data_is_not_found(client, module_demo, year):
    assert client.get(f"/open-data/liaisons.csv?year={year}").status_code == 404
    assert client.get(f"/open-data/grants.json?year={year}").status_code == 404


def test_grants_list_the_decisions_of_published_organizations(client, module_demo):
    year = fiscal_year_of(timezone.localdate())
    header, *rows = read_csv(client.get("/open-data/grants.csv"))
    rows = [dict(zip(header, row, strict=True)) for row in rows]
    decisions = GrantDecision.objects.filter(fiscal_year__year=year).select_related("organization", "calculation")
    assert {r["交付先"]: int(r["交付決定額"]) for r in rows} == {
        d.organization.name: d.calculation.total for d in decisions
    }
    for r in rows:
        assert int(r["うち基本額"]) + int(r["うち統合補助金額"]) == int(r["交付決定額"])
        assert r["状況"] == "交付決定" and r["確定額"] == ""
