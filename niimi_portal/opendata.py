"""オープンデータ: what the public pages show, as CSV (UTF-8 with a BOM) and JSON, under CC BY 4.0.

The files follow the column style of the Digital Agency's 自治体標準オープンデータセット: each starts
with 全国地方公共団体コード, ID and 地方公共団体名; readings are in 全角カタカナ in a column named
`…_カナ`; dates are written YYYY-MM-DD; amounts and counts are plain integers. Each dataset says which
standard dataset it follows, or that none matches (`Dataset.standard`).

Every row comes through organizations.public or niimi_portal.roster (a 交付決定 only of a published
organization), so nothing unpublished gets in, and the columns hold no personal data beyond what the
public pages show: never a representative's name, an officer's e-mail, or anything of a meeting; an
organization's telephone and e-mail only with a recorded consent (organizations.PublicationConsent), else the
city's contact. The
datasets read organizations, staff and grants, so they live in the site package, with their pages
(niimi_portal.opendata_views).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jaconv
from django.conf import settings
from django.db.models import Case, F, Prefetch, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from grants.models import FiscalYear, GrantDecision
from niimi_portal.lib.csv_export import csv_text
from niimi_portal.lib.demo_mode import portal_facts, shown_as_demo
from niimi_portal.lib.wareki import fiscal_year_label
from niimi_portal.roster import roster_assignments, roster_years
from organizations.models import Region, RegionStatistic
from organizations.public import (
    TOWN,
    consents_prefetch,
    former_town_names,
    prefetch_public_organizations,
    public_organizations,
    with_former_town,
)
from staff.models import Assignment

PREFECTURE_NAME = "岡山県"  # 全国地方公共団体コード 33xxxx
LICENSE_NAME = "クリエイティブ・コモンズ 表示 4.0 国際 ライセンス（CC BY 4.0）"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/deed.ja"
DEMO_NOTE = "デモ用の架空のデータです。"
CITY_CONTACT_NOTE = "電話番号は市の担当課のものです（組織の連絡先は、掲載の同意がある場合だけ載せます）。"


def local_government_code():
    return settings.PORTAL["LOCAL_GOVERNMENT_CODE"]


def local_government_name():
    """地方公共団体名 as the standard datasets write it: prefecture and city, 岡山県新見市."""
    return f"{PREFECTURE_NAME}{settings.PORTAL['CITY_NAME']}"


def attribution(dataset):
    return f"出典：{settings.PORTAL['SITE_NAME']}「{dataset.title}」（{settings.PORTAL['CITY_NAME']}）"


def katakana(reading):
    """よみ are stored in ひらがな; the standard's `_カナ` columns are 全角カタカナ."""
    return jaconv.hira2kata(reading or "")


def iso(day):
    return day.isoformat() if day else None


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable[[Any], Any]
    is_url: bool = False  # a path on the portal, written as a full URL


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    standard: str
    rows: Callable[..., Any]  # rows(year) for a yearly dataset, rows() otherwise
    row_id: Callable[[Any], str]
    columns: list[Column] = field(default_factory=list)
    yearly: bool = False

    def all_columns(self):
        """The three columns every standard dataset starts with, then the dataset's own."""
        return [
            Column(
                "全国地方公共団体コード", "データを作成した地方公共団体の6桁のコード", lambda _: local_government_code()
            ),
            Column("ID", "データセットの中で行を一意に示す識別子", self.row_id),
            Column(
                "地方公共団体名",
                "データを作成した地方公共団体の名称（都道府県名と市区町村名）",
                lambda _: local_government_name(),
            ),
            *self.columns,
        ]

    def filename(self, year, extension):
        suffix = f"_{year}" if self.yearly else ""
        return f"{local_government_code()}_{self.slug}{suffix}.{extension}"


# -- the rows --------------------------------------------------------------------------------------


def organization_rows():
    """地域運営組織一覧: no standard dataset matches (the 自治体標準オープンデータセット has no list of
    community organizations); the columns follow its style (名称, 名称_カナ, 電話番号, URL, 備考 …)."""
    areas = with_former_town(Region.objects.all()).order_by("name_kana", "id")
    return (
        public_organizations()
        .prefetch_related(Prefetch("regions", queryset=areas), consents_prefetch())
        .order_by("name_kana", "id")
    )


def representative_title(organization):
    """The title the organization's page shows beside a named representative; the name itself never."""
    return organization.representative_title if organization.representative_name.strip() else ""


def phone(organization):
    """The organization's telephone number with its consent; without, the city's (the 課 passes a call on)."""
    return organization.published_contact.phone or portal_facts()["CONTACT_PHONE"]


def organization_note(organization):
    notes = [] if organization.published_contact.phone else [CITY_CONTACT_NOTE]
    return "".join([DEMO_NOTE] * shown_as_demo(organization) + notes)


def area_rows():
    """地域別の人口・世帯数: follows the standard dataset 地域・年齢別人口 (調査年月日, 地域名, 総人口) as far
    as the portal's data goes: it holds no counts by sex or age, so those columns are left out, and 世帯数 and
    the area's organizations are added. One row per area with its latest statistic, as the area pages show."""
    latest = RegionStatistic.objects.annotate(
        row=Window(RowNumber(), partition_by=[F("region_id")], order_by=F("reference_date").desc())
    ).filter(row=1)
    town_first = Case(When(kind=TOWN, then=Value(0)), default=Value(1))
    return (
        with_former_town(Region.objects.all())
        .prefetch_related(
            Prefetch("statistics", queryset=latest, to_attr="latest_statistics"),
            prefetch_public_organizations(),
        )
        .order_by("town_kana", town_first, "name_kana", "id")
    )


def statistic(region):
    return region.latest_statistics[0] if region.latest_statistics else None


def area_note(region):
    if shown_as_demo(region) or shown_as_demo(statistic(region)):
        return "人口・世帯数はデモ用の数値です。" if statistic(region) else DEMO_NOTE
    return ""


def liaison_rows(year):
    """地域担当職員名簿: no standard dataset matches. One row per assignment, in the roster's order: 旧市町,
    area, 主担当 before 副担当, then よみ; only what the roster page shows of an officer (no e-mail)."""
    rows = []
    for assignment in roster_assignments(year).select_related("fiscal_year"):
        areas = list(assignment.organization.regions.all()) if assignment.organization else [assignment.region]
        assignment.areas = areas
        assignment.town_name = areas[0].town_name if areas else ""
        target = assignment.organization or assignment.region
        sort = (areas[0].town_kana if areas else "", target.name_kana, assignment.role != Assignment.Role.MAIN)
        rows.append((sort, assignment.officer.name_kana, assignment.pk, assignment))
    return [row[-1] for row in sorted(rows)]


def grant_rows(year):
    """一括交付金の交付額: no standard dataset matches. One row per 交付決定 to a published organization, with
    the stored calculation."""
    return (
        GrantDecision.objects.filter(fiscal_year__year=year, organization__is_published=True)
        .select_related("organization", "fiscal_year", "calculation")
        .order_by("number")
    )


def changed_amount(decision):
    return decision.amount if decision.changed_on else None


# -- the datasets ----------------------------------------------------------------------------------

ORGANIZATIONS = Dataset(
    slug="organizations",
    title="地域運営組織一覧",
    description="公開している地域運営組織の名称、活動区域、設立までの段階、認可の状況と連絡先です。",
    standard="該当する標準データセットはありません（列の書き方は自治体標準オープンデータセットにならっています）。",
    rows=organization_rows,
    row_id=lambda o: o.slug,
    columns=[
        Column("名称", "地域運営組織の名称", lambda o: o.name),
        Column("名称_カナ", "名称の読み（全角カタカナ）", lambda o: katakana(o.name_kana)),
        Column(
            "活動区域",
            "活動する地域（複数のときは「・」で区切り）",
            lambda o: "・".join(r.name for r in o.regions.all()),
        ),
        Column("旧市町", "活動区域がある旧市町", lambda o: "・".join(former_town_names(o, by="areas"))),
        Column(
            "段階",
            "設立・活動開始までの段階（① 地域での機運づくり／② 地域の将来計画の策定／③ 地域運営組織の設立・活動開始）",
            lambda o: o.get_stage_display(),
        ),
        Column("認可の状況", "認可・未認可", lambda o: o.public_approval_label),
        Column("認可日", "市が認可した日（認可の組織のみ）", lambda o: iso(o.approved_on) if o.is_approved else None),
        Column("認可番号", "市の認可番号（認可の組織のみ）", lambda o: o.approval_number if o.is_approved else ""),
        Column("設立日", "組織の設立日", lambda o: iso(o.established_on)),
        Column("代表者の役職", "代表者が決まっている組織の代表者の役職（氏名は載せません）", representative_title),
        Column("住所", "連絡先の住所", lambda o: o.contact_address),
        Column("電話番号", "連絡先の電話番号（組織の掲載の同意がないときは市の担当課の電話番号）", phone),
        Column(
            "連絡先メールアドレス",
            "連絡先のメールアドレス（組織の掲載の同意があるときだけ）",
            lambda o: o.published_contact.email,
        ),
        Column("URL", "ポータルの組織のページ", lambda o: o.get_absolute_url(), is_url=True),
        Column("備考", "", organization_note),
    ],
)

AREAS = Dataset(
    slug="areas",
    title="地域別の人口・世帯数",
    description="旧市町・小学校区・大字ごとの人口と世帯数（最新の基準日）と、そこで活動する地域運営組織です。",
    standard=(
        "自治体標準オープンデータセット「地域・年齢別人口」にならっています（調査年月日・地域名・総人口）。"
        "このポータルは男女別・年齢別の人数を持たないため、その列はなく、世帯数などを加えています。"
    ),
    rows=area_rows,
    row_id=lambda r: r.slug,
    columns=[
        Column(
            "調査年月日", "人口・世帯数の基準日", lambda r: iso(statistic(r).reference_date) if statistic(r) else None
        ),
        Column("地域名", "地域の名称", lambda r: r.name),
        Column("地域名_カナ", "地域名の読み（全角カタカナ）", lambda r: katakana(r.name_kana)),
        Column("地域の種別", "旧市町・小学校区・旧小学校区・地区・大字", lambda r: r.get_kind_display()),
        Column("旧市町", "地域がある旧市町", lambda r: r.town_name),
        Column("総人口", "人口（人）", lambda r: statistic(r).population if statistic(r) else None),
        Column("世帯数", "世帯数（世帯）", lambda r: statistic(r).households if statistic(r) else None),
        Column("出典", "人口・世帯数の出典", lambda r: statistic(r).source if statistic(r) else ""),
        Column(
            "地域運営組織",
            "この地域で活動する地域運営組織（公開しているもの）",
            lambda r: "・".join(o.name for o in r.public_organizations),
        ),
        Column("URL", "ポータルの地域のページ", lambda r: r.get_absolute_url(), is_url=True),
        Column("備考", "", area_note),
    ],
)

LIAISONS = Dataset(
    slug="liaisons",
    title="地域担当職員名簿",
    description="年度ごとに、どの地域・地域運営組織をどの職員が担当するかの一覧です（名簿のページと同じ内容）。",
    standard="該当する標準データセットはありません（列の書き方は自治体標準オープンデータセットにならっています）。",
    rows=liaison_rows,
    row_id=lambda a: str(a.pk),
    yearly=True,
    columns=[
        Column("年度", "担当する年度（西暦の開始年）", lambda a: a.fiscal_year.year),
        Column("年度_和暦", "担当する年度（和暦）", lambda a: fiscal_year_label(a.fiscal_year.year)),
        Column("旧市町", "担当する地域がある旧市町", lambda a: a.town_name),
        Column(
            "担当する地域", "担当する地域（複数のときは「・」で区切り）", lambda a: "・".join(r.name for r in a.areas)
        ),
        Column("地域運営組織", "担当する地域運営組織", lambda a: a.organization.name if a.organization else ""),
        Column("担当区分", "主担当・副担当", lambda a: a.get_role_display()),
        Column("氏名", "地域担当職員の氏名", lambda a: a.officer.name),
        Column("氏名_カナ", "氏名の読み（全角カタカナ）", lambda a: katakana(a.officer.name_kana)),
        Column("所属", "その年度に所属する課", lambda a: a.department),
        Column("職名", "その年度の職名", lambda a: a.title),
        Column(
            "電話番号",
            "連絡先の電話番号（名簿のページに載せているもの）",
            lambda a: "" if a.officer.is_demo else a.officer.phone,
        ),
        Column("備考", "", lambda a: "デモ用の架空の職員です。" if shown_as_demo(a.officer) else ""),
    ],
)

GRANTS = Dataset(
    slug="grants",
    title="小規模多機能自治一括交付金の交付額",
    description="年度ごとの、地域運営組織ごとの一括交付金の交付決定額・確定額です。",
    standard="該当する標準データセットはありません（列の書き方は自治体標準オープンデータセットにならっています）。",
    rows=grant_rows,
    row_id=lambda d: f"{d.fiscal_year.year}-{d.number}",
    yearly=True,
    columns=[
        Column("年度", "交付の年度（西暦の開始年）", lambda d: d.fiscal_year.year),
        Column("年度_和暦", "交付の年度（和暦）", lambda d: fiscal_year_label(d.fiscal_year.year)),
        Column("交付先", "交付を受ける地域運営組織", lambda d: d.organization.name),
        Column("交付先_カナ", "交付先の読み（全角カタカナ）", lambda d: katakana(d.organization.name_kana)),
        Column("交付決定日", "交付決定の日", lambda d: iso(d.decided_on)),
        Column("交付決定額", "当初の交付決定額（円）", lambda d: d.calculation.total),
        Column("うち基本額", "交付決定額のうち基本額（円）", lambda d: d.calculation.base_amount),
        Column(
            "うち統合補助金額", "交付決定額のうち統合された既存補助金の額（円）", lambda d: d.calculation.subsidy_amount
        ),
        Column("変更交付決定日", "変更交付決定の日（変更したときのみ）", lambda d: iso(d.changed_on)),
        Column("変更後の交付決定額", "変更交付決定後の交付決定額（円、変更したときのみ）", changed_amount),
        Column("額の確定日", "交付額を確定した日", lambda d: iso(d.settled_on)),
        Column("確定額", "確定した交付額（円）", lambda d: d.settled_amount),
        Column("状況", "交付決定・変更交付決定・実績報告済・額の確定", lambda d: d.get_status_display()),
        Column("URL", "ポータルの組織のページ", lambda d: d.organization.get_absolute_url(), is_url=True),
        Column("備考", "", lambda d: DEMO_NOTE if shown_as_demo(d.organization) else ""),
    ],
)

DATASETS = {dataset.slug: dataset for dataset in (ORGANIZATIONS, AREAS, LIAISONS, GRANTS)}


# -- years -----------------------------------------------------------------------------------------


def years_with_data(dataset):
    """The fiscal years a yearly dataset has rows for, newest first."""
    if dataset is LIAISONS:
        years = roster_years()
    elif dataset is GRANTS:
        years = FiscalYear.objects.filter(grant_decisions__organization__is_published=True)
    else:
        return []
    return list(years.distinct().order_by("-year").values_list("year", flat=True))


# -- the files -------------------------------------------------------------------------------------


def table(dataset, *, year=None, absolute_url):
    """(column names, rows of values) of the dataset; `absolute_url(path)` makes a page's full URL."""
    columns = dataset.all_columns()
    objects = dataset.rows(year) if dataset.yearly else dataset.rows()
    rows = []
    for obj in objects:
        values = []
        for column in columns:
            value = column.value(obj)
            values.append(absolute_url(value) if column.is_url and value else value)
        rows.append(values)
    return [c.name for c in columns], rows


def as_csv(dataset, *, year=None, absolute_url):
    """The CSV text with its BOM (niimi_portal.lib.csv_export: CRLF, formula guard), Japanese headers."""
    return csv_text(*table(dataset, year=year, absolute_url=absolute_url))


def metadata(dataset, *, year=None, page_url=""):
    """What the JSON file says about itself: title, licence, the standard followed and the data's date."""
    data = {
        "タイトル": dataset.title,
        "説明": dataset.description,
        "全国地方公共団体コード": local_government_code(),
        "地方公共団体名": local_government_name(),
        "ライセンス": LICENSE_NAME,
        "ライセンスURL": LICENSE_URL,
        "出典の記載例": attribution(dataset),
        "準拠する標準データセット": dataset.standard,
        "データの日付": timezone.localdate().isoformat(),
        "説明ページ": page_url,
    }
    if dataset.yearly:
        data["年度"] = year
        data["年度_和暦"] = fiscal_year_label(year)
    return data


def as_json(dataset, *, year=None, absolute_url, page_url=""):
    header, rows = table(dataset, year=year, absolute_url=absolute_url)
    data = {
        **metadata(dataset, year=year, page_url=page_url),
        "項目": header,
        "件数": len(rows),
        "データ": [dict(zip(header, row, strict=True)) for row in rows],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)
