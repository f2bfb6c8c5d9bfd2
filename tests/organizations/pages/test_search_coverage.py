"""Site search reaches the FAQ, the 資料室, the しくみ and 一括交付金 explanations, areas and
organizations however residents write a place; a search with no result says where to turn."""

import pytest

from organizations.search import place_name_forms

pytestmark = pytest.mark.django_db


def results(client, q):
    return client.get("/search/", {"q": q}).content.decode()


def test_what_a_grant_is_is_found_in_the_faq_and_the_explanation_pages(client, module_demo):
    page = results(client, "一括交付金とは")
    assert "一括交付金とは何ですか？" in page  # the FAQ entry the portal adds
    assert '<a href="/grants/">小規模多機能自治一括交付金とは</a>' in page


def test_the_explanation_of_how_it_works_is_found(client, module_demo):
    page = results(client, "地域共生社会")
    assert '<a href="/about/">小規模多機能自治の仕組み</a>' in page


def test_documents_are_found(client, module_demo):
    page = results(client, "ハンドブック")
    assert "地域共生社会の基盤構築ハンドブック" in page and "資料室・ハンドブック" in page


@pytest.mark.parametrize("typed", ["唐松地区", "唐松地域", "新見市唐松", "からまつ地区", "唐松町"])
def test_an_area_and_its_organization_are_found_with_a_suffix_or_the_city_prefix(client, module_demo, typed):
    page = results(client, typed)
    assert 'href="/regions/karamatsu/"' in page
    assert 'href="/organizations/karamatsu-machizukuri/"' in page


@pytest.mark.parametrize("typed", ["哲西小学校区", "哲西学区"])
def test_school_districts_are_found_however_written(client, module_demo, typed):
    assert 'href="/regions/tessei-school/"' in results(client, typed)


def test_place_name_forms():
    assert place_name_forms("新見市唐松地区") == ["新見市唐松地区", "唐松地区", "新見市唐松", "唐松"]
    assert place_name_forms("地域") == ["地域"]  # never an empty word


def test_no_result_points_to_the_faq_the_grants_page_and_the_areas_liaison(client, module_demo):
    page = results(client, "アトランティス")
    help_box = page.split('id="search-help"')[1]
    assert 'href="/faq/"' in help_box
    assert 'href="/grants/"' in help_box
    assert 'href="/liaisons/"' in help_box and "地域担当職員" in help_box
