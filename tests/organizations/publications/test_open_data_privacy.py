"""オープンデータ with a few rows of its own: nothing unpublished and no personal data beyond what the public
pages show gets into any file; the latest statistic; formulas kept as text."""

import datetime
import json

import pytest
from django.utils import timezone
from model_bakery import baker

from grants.models import FiscalYear, GrantCalculation, GrantDecision
from niimi_portal import opendata
from niimi_portal.lib.wareki import fiscal_year_of
from organizations.models import Organization, Region, RegionStatistic
from staff.models import Assignment
from tests.helpers import Client
from tests.organizations.publications.conftest import SECRET_NOTES, read_csv

pytestmark = pytest.mark.django_db

DATASETS = ["organizations", "areas", "liaisons", "grants"]


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return json.loads(response.content)


def every_file(client):
    """The text of every dataset in both formats."""
    return {
        f"{slug}.{ext}": client.get(f"/open-data/{slug}.{ext}").content.decode("utf-8")
        for slug in DATASETS
        for ext in ("csv", "json")
    }


def test_areas_give_each_area_its_latest_statistic_and_organizations(client, area, organization):
    old = RegionStatistic.objects.create(
        region=area, reference_date=datetime.date(2024, 4, 1), population=1300, households=540
    )
    RegionStatistic.objects.create(
        region=area, reference_date=datetime.date(2025, 4, 1), population=1234, households=517
    )
    header, *rows = read_csv(client.get("/open-data/areas.csv"))
    by_id = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    karamatsu = by_id["karamatsu"]
    assert (karamatsu["調査年月日"], karamatsu["総人口"], karamatsu["世帯数"]) == ("2025-04-01", "1234", "517")
    assert karamatsu["地域名"] == "唐松" and karamatsu["地域名_カナ"] == "カラマツ"
    assert karamatsu["地域の種別"] == "大字" and karamatsu["旧市町"] == "新見"
    assert karamatsu["地域運営組織"] == "唐松まちづくり協議会"
    assert by_id["niimi"]["地域の種別"] == "旧市町" and by_id["niimi"]["総人口"] == ""
    assert rows.index(next(r for r in rows if r[1] == "niimi")) == 0  # the 旧市町 before its areas
    assert str(old.population) not in karamatsu.values()


def test_an_unknown_dataset_or_format_is_not_found(client, db):
    assert client.get("/open-data/people.csv").status_code == 404
    assert client.get("/open-data/organizations.xlsx").status_code == 404


@pytest.fixture
def hidden(current_year, assigned_liaison, town):
    """An unpublished organization with a liaison, an area of its own and a grant decision."""
    region = baker.make(Region, kind=Region.Kind.OAZA, name="秘密", name_kana="ひみつ", slug="himitsu", parent=town)
    organization = baker.make(
        Organization, name="非公開の準備会", name_kana="ひこうかいのじゅんびかい", slug="hikokai", is_published=False
    )
    organization.regions.set([region])
    baker.make(
        Assignment, officer=assigned_liaison.liaison_officer, organization=organization, fiscal_year=current_year
    )
    calculation = GrantCalculation.objects.create(
        organization=organization, fiscal_year=current_year, base_amount=777_000, subsidy_amount=0, total=777_000
    )
    GrantDecision.objects.create(
        calculation=calculation,
        organization=organization,
        fiscal_year=current_year,
        number=9,
        document_number="新総政第9号",
        decided_on=current_year.starts_on,
        amount=777_000,
    )
    return organization


def test_an_unpublished_organization_is_in_no_file(client, hidden, organization, current_year):
    for name, text in every_file(client).items():
        assert "非公開の準備会" not in text, name
        assert "ヒコウカイ" not in text and "hikokai" not in text and "777000" not in text, name
    assert "唐松まちづくり協議会" in every_file(client)["organizations.csv"]


def test_no_personal_data_beyond_what_the_public_pages_show(client, organization, assigned_liaison, make_meeting):
    organization.representative_title = "会長"
    organization.representative_name = "石井 正男"
    organization.approval_number = "新見市認可第99号"
    organization.status_reason = "差戻しの理由（内部）"
    organization.save()
    officer = assigned_liaison.liaison_officer
    officer.email = "yamada.taro@city.example.jp"
    officer.phone = "0867-72-6111（代表）"
    officer.save()
    make_meeting()
    files = every_file(client)
    for name, text in files.items():
        for secret in ["石井", "新見市認可第99号", "差戻しの理由", "yamada.taro@", "tanto1", *SECRET_NOTES.values()]:
            assert secret not in text, (name, secret)
    # What the roster page shows is there: the officer's name, department and phone.
    assert "山田 太郎" in files["liaisons.csv"] and "0867-72-6111（代表）" in files["liaisons.csv"]
    roster = client.get("/liaisons/").content.decode()
    assert "山田 太郎" in roster and "yamada.taro@" not in roster
    # The representative's title, never the name, and only where a representative is named.
    header, *rows = read_csv(client.get("/open-data/organizations.csv"))
    titles = {row[1]: row[header.index("代表者の役職")] for row in rows}
    assert titles["karamatsu-machizukuri"] == "会長"


def test_the_title_is_left_out_when_no_representative_is_named(client, organization):
    organization.representative_name = ""
    organization.save()
    header, *rows = read_csv(client.get("/open-data/organizations.csv"))
    assert rows[0][header.index("代表者の役職")] == ""


def test_text_a_spreadsheet_would_run_as_a_formula_stays_text_in_csv_and_as_typed_in_json(client, organization):
    organization.contact_address = '=HYPERLINK("http://example.invalid","x")'
    organization.save()
    header, *rows = read_csv(client.get("/open-data/organizations.csv"))
    assert rows[0][header.index("住所")] == "'" + organization.contact_address
    data = get_json(client, "/open-data/organizations.json")
    assert data["データ"][0]["住所"] == organization.contact_address


def test_the_current_year_answers_even_before_any_assignment(client, db):
    FiscalYear.for_year(fiscal_year_of(timezone.localdate()))
    year = fiscal_year_of(timezone.localdate())
    rows = read_csv(client.get(f"/open-data/liaisons.csv?year={year}"))
    assert rows == [[c.name for c in opendata.LIAISONS.all_columns()]]
    assert get_json(client, "/open-data/grants.json")["件数"] == 0


def test_the_files_answer_anonymous_residents_and_staff_alike(client, policy_officer, assigned_liaison, organization):
    anonymous = Client(enforce_csrf_checks=True).get("/open-data/organizations.csv").content
    for user in (policy_officer, assigned_liaison):
        client.force_login(user)
        assert client.get("/open-data/organizations.csv").content == anonymous
