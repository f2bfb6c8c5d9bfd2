"""/grants/: how the 一括交付金 works, this year's rule, and an estimate made by the clerks' own function."""

import pytest

import grants.views
from grants.calculation import calculate_grant
from grants.models import FiscalYear, GrantRule
from niimi_portal.lib.money import yen
from organizations.models import Region, RegionStatistic

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(monkeypatch):
    """Record every call the page makes to calculate_grant, still running the real function."""
    made = []

    def spy(**kwargs):
        made.append(kwargs)
        return calculate_grant(**kwargs)

    monkeypatch.setattr(grants.views, "calculate_grant", spy)
    return made


def test_page_explains_who_what_and_how_and_shows_this_years_rule(client, module_demo):
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
    rule = GrantRule.objects.get(fiscal_year=FiscalYear.objects.current())
    assert f"1人あたり {rule.per_capita:,}円" in page
    assert f"{rule.equal_share:,}円" in page
    assert "デモ用" in page


def test_estimate_for_an_area_uses_its_population_at_the_reference_date(client, module_demo, calls):
    year = FiscalYear.objects.current()
    statistic = RegionStatistic.objects.get(region__slug="karamatsu", reference_date=year.statistics_reference_date)
    response = client.get("/grants/", {"region": "karamatsu"})
    assert len(calls) == 1
    assert (calls[0]["population"], calls[0]["households"]) == (statistic.population, statistic.households)
    expected = calculate_grant(rule=year.grant_rule, population=statistic.population, households=statistic.households)
    page = response.content.decode()
    assert f"試算結果: 基本額 {expected.base_amount:,}円" in page
    for line in expected.lines:
        assert yen(line.amount) in page and line.label in page  # a reduction as △700円, never -700円


def test_estimate_for_an_area_found_by_its_name_in_kana(client, module_demo, calls):
    statistic = RegionStatistic.objects.get(
        region__slug="karamatsu", reference_date=FiscalYear.objects.current().statistics_reference_date
    )
    page = client.get("/grants/", {"area": "からまつ"}).content.decode()
    assert [(c["population"], c["households"]) for c in calls] == [(statistic.population, statistic.households)]
    assert "唐松の人口" in page
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
    assert calls == [] and "試算結果" not in page


def test_the_page_never_lists_every_area(client, module_demo):
    """The area is typed, not picked from a list: the page stays small however many areas there are."""
    page = client.get("/grants/").content.decode()
    assert "<select" not in page and "<option" not in page


def test_estimate_from_typed_counts(client, module_demo, calls):
    page = client.get("/grants/", {"population": "1234", "households": "517"}).content.decode()
    assert calls[0]["population"] == 1234 and calls[0]["households"] == 517
    expected = calculate_grant(rule=FiscalYear.objects.current().grant_rule, population=1234, households=517)
    assert f"試算結果: 基本額 {expected.base_amount:,}円" in page
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
    assert "試算結果" not in page
    assert calls == []
    for name in ("population", "area"):
        if params.get(name) not in (None, ""):
            assert f'value="{params[name]}"' in page  # what was typed stays


def test_area_without_statistics_asks_for_the_counts(client, module_demo, calls):
    area = Region.objects.get(slug="karamatsu")
    area.statistics.all().delete()
    page = client.get("/grants/", {"region": "karamatsu"}).content.decode()
    assert "この地域の人口・世帯数はまだ登録されていません" in page
    assert calls == []


def test_without_a_rule_this_year_the_page_says_so_and_offers_no_estimate(client, module_demo):
    GrantRule.objects.filter(fiscal_year=FiscalYear.objects.current()).delete()
    page = client.get("/grants/", {"population": "100", "households": "50"}).content.decode()
    assert "今年度の交付基準はまだ公開されていません" in page
    assert "試算結果" not in page
