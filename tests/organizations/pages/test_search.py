"""Site search: kanji and かな readings alike, grouped by kind, published things only."""

import pytest
from model_bakery import baker

from niimi_portal.lib.kana import query_variants, terms
from niimi_portal.search import search
from organizations.models import FAQ

pytestmark = pytest.mark.django_db


def test_query_variants_cover_hiragana_katakana_and_half_width():
    assert query_variants("カラマツ") == ["カラマツ", "からまつ"]
    assert query_variants("からまつ") == ["からまつ", "カラマツ"]
    assert query_variants("ｶﾗﾏﾂ") == ["ｶﾗﾏﾂ", "カラマツ", "からまつ"]
    assert query_variants("唐松") == ["唐松"]
    assert query_variants("   ") == []
    assert len(query_variants("あ" * 500)[0]) == 50


def test_words_separated_by_full_width_spaces_are_separate_terms():
    assert terms("熊野　助け合い") == ["熊野", "助け合い"]


@pytest.mark.parametrize("typed", ["からまつ", "唐松", "カラマツ", "ｶﾗﾏﾂ"])
def test_kanji_and_kana_both_reach_karamatsu(client, module_demo, typed):
    response = client.get("/search/", {"q": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="/regions/karamatsu/"' in page
    assert 'href="/organizations/karamatsu-machizukuri/"' in page
    assert 'href="/cases/karamatsu-hirose-workshop/"' in page  # through its organization's よみ


def test_results_are_grouped_by_kind_in_a_fixed_order(client, module_demo):
    page = client.get("/search/", {"q": "熊野"}).content.decode()
    # 熊野 is in no FAQ: that kind is left out (issue 31), the others keep their order
    assert 'id="result-faq"' not in page
    headings = [page.index(f'id="result-{kind}"') for kind in ("regions", "organizations", "cases")]
    assert headings == sorted(headings)
    assert "地域運営組織（1 件）" in page


def test_an_organization_is_found_by_an_area_it_covers(module_demo):
    groups = {g.kind: g for g in search("いくらの")}
    assert [o.slug for o in groups["organizations"].queryset] == ["kumano-mirai"]


def test_every_word_must_match(module_demo):
    groups = {g.kind: list(g.queryset) for g in search("熊野 助け合い")}
    assert [c.slug for c in groups["cases"]] == ["kumano-ikurano-tasukeai"]
    assert groups["regions"] == []


def test_faq_is_searched_in_questions_and_answers_and_links_to_the_question(client, module_demo):
    page = client.get("/search/", {"q": "負担"}).content.decode()
    assert "地域運営組織を立ち上げると、地域の負担が大きくなるのではないですか？" in page
    assert "/faq/?q=%E8%B2%A0%E6%8B%85#faq-" in page


def test_katakana_text_is_found_from_hiragana(client, module_demo):
    baker.make(
        FAQ,
        category_id="system",
        question="ワークショップには誰が出られますか？",
        answer="どなたでも。",
        is_published=True,
    )
    page = client.get("/search/", {"q": "わーくしょっぷ"}).content.decode()
    assert "ワークショップには誰が出られますか？" in page


def test_a_draft_faq_never_shows(client, module_demo):
    for typed in ("様式", "申請書", "下書き"):
        page = client.get("/search/", {"q": typed}).content.decode()
        assert "交付金の申請書の様式はどこにありますか" not in page


def test_an_empty_search_shows_the_box_and_no_results(client, module_demo):
    page = client.get("/search/").content.decode()
    assert "<title>サイト内検索 |" in page
    assert "検索結果" not in page


def test_one_kind_is_paginated_on_its_own(client, module_demo):
    page = client.get("/search/", {"q": "の", "kind": "faq"}).content.decode()
    assert 'id="result-faq"' in page and 'id="result-regions"' not in page
    assert "すべての種類の結果に戻る" in page


def test_wildcards_are_taken_literally(module_demo):
    assert all(group.count == 0 for group in search("%"))
    assert all(group.count == 0 for group in search("_"))
