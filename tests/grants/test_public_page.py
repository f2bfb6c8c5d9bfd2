"""/grants/: how the 一括交付金 works, this year's rule, and an estimate made by the clerks' own function."""

import pytest

import grants.estimate
import grants.views
from grants.calculation import calculate_grant, calculate_year
from grants.estimate import area_estimate
from grants.models import DocumentDraft, DocumentNumber, FiscalYear, GrantDecision, GrantRule, IssuedDocument
from niimi_portal.templatetags.portal import yen_for_residents
from organizations.models import Organization, Region, RegionStatistic

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(monkeypatch):
    """Record every call the page makes to calculate_grant, still running the real function."""
    made = []

    def spy(**kwargs):
        made.append(kwargs)
        return calculate_grant(**kwargs)

    monkeypatch.setattr(grants.views, "calculate_grant", spy)
    monkeypatch.setattr(grants.estimate, "calculate_grant", spy)
    return made


def test_page_explains_who_what_and_how_and_shows_this_years_rule(client, module_demo, settings):
    settings.DEMO_MODE = True  # the invented rule is labelled (only) in demo mode
    page = client.get("/grants/").content.decode()
    for text in (
        "対象となる団体",
        "市の認可を受けた地域運営組織",
        "対象となる事業",
        "基本額",
        "均等割",
        "地域振興会運営補助金",
    ):
        assert text in page, text
    rule = GrantRule.objects.get(fiscal_year=FiscalYear.current())
    assert f"1人あたり {rule.per_capita:,}円" in page
    assert f"{rule.equal_share:,}円" in page
    assert "デモ用" in page


def test_an_area_of_a_decided_organization_shows_the_organizations_decision(client, module_demo):
    year = FiscalYear.current()
    decision = GrantDecision.objects.get(organization__slug="karamatsu-machizukuri", fiscal_year=year)
    for area in ("karamatsu", "hirose"):  # both areas of 唐松まちづくり協議会 lead to the one decision
        page = client.get("/grants/", {"region": area}).content.decode()
        assert f"唐松まちづくり協議会の{year.label}の交付決定額 {decision.amount:,}円" in page
        for line in decision.calculation.lines:
            # a negative adjustment reads 900円少ない, not the city's △900円
            assert line["label"] in page and yen_for_residents(line["amount"]) in page


def test_an_area_of_an_undecided_organization_gets_the_clerks_calculation_over_all_its_areas(client, module_demo):
    year = FiscalYear.current()
    kumano = Organization.objects.get(slug="kumano-mirai")
    # its 通知書: the issued PDF, the 決裁 and the register line
    entries = DocumentNumber.objects.filter(decision__organization=kumano, decision__fiscal_year=year)
    IssuedDocument.objects.filter(entry__in=entries).delete()
    DocumentDraft.objects.filter(entry__in=entries).delete()
    entries.delete()
    GrantDecision.objects.filter(organization=kumano, fiscal_year=year).delete()
    clerks = calculate_year(year, Organization.objects.filter(pk=kumano.pk)).grants[0]
    assert clerks.breakdown.subsidy_amount > 0  # the integrated subsidies are part of it
    page = client.get("/grants/", {"region": "ikurano"}).content.decode()
    assert f"熊野の将来を考える会の{year.label}の交付額の試算 {clerks.breakdown.total:,}円" in page
    assert f"人口 {clerks.population:,}人" in page  # 熊野 and 井倉野 together, fixed parts once
    estimate = area_estimate(area=Region.objects.get(slug="kumano"), fiscal_year=year, rule=year.grant_rule)
    assert (estimate.kind, estimate.total) == ("organization", clerks.breakdown.total)


def test_an_organization_not_yet_approved_is_estimated_the_same_way(module_demo):
    year = FiscalYear.current()
    takao = Organization.objects.get(slug="takao-fureai")
    clerks = calculate_year(year, Organization.objects.filter(pk=takao.pk), approved_only=False).grants[0]
    estimate = area_estimate(area=Region.objects.get(slug="takao"), fiscal_year=year, rule=year.grant_rule)
    assert (estimate.kind, estimate.organization, estimate.total) == ("organization", takao, clerks.breakdown.total)


@pytest.mark.parametrize("slug", ["osa-kosakabe", "osa-tajibe", "osa-nagatomi"])
def test_an_oaza_of_a_school_district_shows_the_organization_of_that_district(client, module_demo, slug):
    """大佐くらし支え合い会議 lists 大佐小学校区 as its 活動区域, not its 大字: each 大字 still shows it,
    estimated over all its areas exactly as the clerks calculate it."""
    year = FiscalYear.current()
    osa = Organization.objects.get(name="大佐くらし支え合い会議")
    assert [r.slug for r in osa.regions.all()] == ["osa-school"]
    clerks = calculate_year(year, Organization.objects.filter(pk=osa.pk), approved_only=False).grants[0]
    area = Region.objects.get(slug=slug)
    estimate = area_estimate(area=area, fiscal_year=year, rule=year.grant_rule)
    assert (estimate.kind, estimate.organization, estimate.total) == ("organization", osa, clerks.breakdown.total)
    page = client.get("/grants/", {"region": slug}).content.decode()
    assert f"{area.name}: 大佐くらし支え合い会議の{year.label}の交付額の試算 {clerks.breakdown.total:,}円" in page
    assert f"人口 {clerks.population:,}人" in page  # the whole 学区, not the one 大字
    assert "だけで1つの組織をつくった場合の基本額の目安" not in page


def test_an_area_without_an_organization_gets_a_base_amount_as_if_one_organization_covered_it(
    client, module_demo, calls
):
    year = FiscalYear.current()
    statistic = RegionStatistic.objects.get(region__slug="shoden", reference_date=year.statistics_reference_date)
    page = client.get("/grants/", {"region": "shoden"}).content.decode()
    assert [(c["population"], c["households"]) for c in calls] == [(statistic.population, statistic.households)]
    expected = calculate_grant(rule=year.grant_rule, population=statistic.population, households=statistic.households)
    assert f"正田だけで1つの組織をつくった場合の基本額の目安 {expected.base_amount:,}円" in page
    assert "これは交付額ではありません" in page
    for line in expected.lines:
        assert yen_for_residents(line.amount) in page and line.label in page  # 700円少ない, not △700円
    assert "△" not in page


def test_the_page_never_calls_a_base_amount_the_grant(client, module_demo):
    for params in ({"region": "shoden"}, {"population": "1234", "households": "517"}):
        page = client.get("/grants/", params).content.decode()
        assert "交付額（基本額）" not in page and "試算結果: 基本額" not in page


def test_estimate_for_an_area_found_by_its_name_in_kana(client, module_demo):
    page = client.get("/grants/", {"area": "からまつ"}).content.decode()
    assert "唐松: 唐松まちづくり協議会の" in page
    assert 'value="からまつ"' in page  # what was typed stays


def test_a_name_several_areas_share_lists_them_to_choose_from(client, module_demo, calls):
    page = client.get("/grants/", {"area": "神郷"}).content.decode()
    assert "「神郷」に当てはまる地域が3か所あります" in page
    for slug in (
        Region.objects.filter(name__startswith="神郷")
        .exclude(kind=Region.Kind.FORMER_TOWN)
        .values_list("slug", flat=True)
    ):
        assert f'href="?region={slug}#estimate-result"' in page
    assert calls == [] and 'id="estimate-result-heading"' not in page


def test_the_page_never_lists_every_area(client, module_demo):
    """The area is typed, not picked from a list: the page stays small however many areas there are."""
    page = client.get("/grants/").content.decode()
    assert "<select" not in page and "<option" not in page


def test_estimate_from_typed_counts(client, module_demo, calls):
    page = client.get("/grants/", {"population": "1234", "households": "517"}).content.decode()
    assert calls[0]["population"] == 1234 and calls[0]["households"] == 517
    expected = calculate_grant(rule=FiscalYear.current().grant_rule, population=1234, households=517)
    assert f"基本額の目安: {expected.base_amount:,}円" in page
    assert "1,234人 × 1,100円" in page


@pytest.mark.parametrize(
    "params, message",
    [
        ({"population": "-1", "households": "10"}, "人口は0以上で入力してください。"),
        ({"population": "abc", "households": "10"}, "人口は数字で入力してください。"),
        ({"population": "100", "households": ""}, "世帯数を入力してください。"),
        ({"population": "", "households": ""}, "人口を入力してください。"),
        ({"area": ""}, "地域名を入力してください。"),
        ({"area": "アトランティス"}, "その名前の地域は見つかりませんでした。"),
        ({"area": "あ" * 51}, "地域名は50文字以内で入力してください。"),
        ({"region": "atlantis"}, "その地域は見つかりませんでした。"),
        ({"region": "shingo"}, "その地域は見つかりませんでした。"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_in_japanese_and_kept(client, module_demo, calls, params, message):
    page = client.get("/grants/", params).content.decode()
    assert message in page
    assert 'id="estimate-result-heading"' not in page
    assert calls == []
    for name in ("population", "area"):
        if params.get(name) not in (None, ""):
            assert f'value="{params[name]}"' in page  # what was typed stays


def test_missing_figures_at_the_reference_date_are_said_plainly_and_no_other_date_is_used(client, module_demo, calls):
    year = FiscalYear.objects.current()
    RegionStatistic.objects.filter(region__slug="shoden", reference_date=year.statistics_reference_date).delete()
    assert RegionStatistic.objects.filter(region__slug="shoden").exists()  # an older figure remains, unused
    page = client.get("/grants/", {"region": "shoden"}).content.decode()
    assert "正田: 試算できません" in page and "現在の人口・世帯数がまだ登録されていないため、試算できません" in page
    assert calls == []
    GrantDecision.objects.filter(organization__slug="takao-fureai").delete()
    RegionStatistic.objects.filter(region__slug="takao", reference_date=year.statistics_reference_date).delete()
    page = client.get("/grants/", {"region": "takao"}).content.decode()
    assert "高尾: 試算できません" in page and "高尾の" in page and "人口・世帯数が登録されていません" in page


def test_without_a_rule_this_year_the_page_says_so_and_offers_no_estimate(client, module_demo):
    GrantRule.objects.filter(fiscal_year=FiscalYear.current()).delete()
    page = client.get("/grants/", {"population": "100", "households": "50"}).content.decode()
    assert "今年度の交付基準はまだ公開されていません" in page
    assert 'id="estimate-result-heading"' not in page
