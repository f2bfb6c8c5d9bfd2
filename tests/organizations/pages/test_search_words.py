"""Site search in residents' words (issue 31): the policy division's SearchPhrase table passes over 「とは」
「はいくら」, leads 名簿 to the roster and こうふきん to 交付金; kana and kanji find the same rows; kinds
with nothing found are left out, and a search that finds nothing suggests where to look."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings

from niimi_portal import search as site_search
from organizations.models import SearchPhrase

pytestmark = pytest.mark.django_db

ROSTER, SCHEDULE, GRANTS, ABOUT, CONTACT = "/liaisons/", "/schedule/", "/grants/", "/about/", "/#contact-heading"


def pages_found(page):
    """The group of this portal's pages among the results, or "" when it is not shown."""
    if 'id="result-pages"' not in page:
        return ""
    return page.split('id="result-pages"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("交付金 いくら", GRANTS),
        ("交付金はいくら", GRANTS),
        ("名簿", ROSTER),
        ("担当者", ROSTER),
        ("担当の職員", ROSTER),
        ("問い合わせ", CONTACT),
        ("電話番号", CONTACT),
        ("予定", SCHEDULE),
        ("いつ", SCHEDULE),
        ("こうふきん", GRANTS),
        ("いっかつこうふきん", GRANTS),
        ("小規模多機能自治とは", ABOUT),
        ("地域運営組織とは", ABOUT),
        ("一括交付金とは", GRANTS),
        ("地域担当職員", ROSTER),
    ],
)
def test_what_residents_type_finds_the_page_they_mean(client, module_demo, typed, meant):
    page = client.get("/search/", {"q": typed}).content.decode()
    assert f'href="{meant}"' in pages_found(page)
    assert "（0 件）" not in page
    assert 'id="search-help"' not in page


def test_kana_finds_as_many_rows_as_kanji_in_every_kind(module_demo):
    def counts(typed):
        shown, _ = site_search.results(typed)
        return {r["group"].kind: r["count"] for r in shown}

    kanji, kana = counts("唐松"), counts("からまつ")
    assert kanji == kana
    # The library's 唐松 document is written in kanji only: からまつ reaches it through the area's よみ.
    assert kanji["documents"] >= 1


def test_kana_of_the_words_of_a_synonym_also_finds_faq(module_demo):
    """こうふきん means 交付金: the FAQ about 交付金 is found, not only the grant page."""
    kanji, _ = site_search.results("交付金")
    kana, _ = site_search.results("こうふきん")
    faq = {r["group"].kind: r["count"] for r in kanji}["faq"]
    assert faq > 0
    assert {r["group"].kind: r["count"] for r in kana}["faq"] == faq


def test_a_lone_stop_phrase_is_still_searched_as_an_area_reading(module_demo):
    """いくら is a stop phrase after 交付金, but alone it may be 井倉's よみ."""
    assert site_search.read_query("いくら")[0].texts[0] == "いくら"
    assert [w.texts[0] for w in site_search.read_query("交付金 いくら")] == ["交付金"]


def test_kinds_with_nothing_found_are_left_out(client, module_demo):
    page = client.get("/search/", {"q": "名簿"}).content.decode()
    assert 'id="result-pages"' in page
    for kind in ("regions", "organizations", "faq", "cases"):
        assert f'id="result-{kind}"' not in page
    assert "見つかりませんでした" not in page


def test_nothing_found_suggests_popular_pages_and_a_hint(client, module_demo):
    page = client.get("/search/", {"q": "ぽぽぽぽぽ"}).content.decode()
    assert "の検索結果: 0 件" in page
    assert "（0 件）" not in page
    help_block = page.split('id="search-help"', 1)[1]
    for url in (ABOUT, GRANTS, ROSTER, SCHEDULE):
        assert f'href="{url}"' in help_block
    assert "短い言葉で入力してみてください" in help_block


def test_a_phrase_the_division_adds_is_used_at_once(client, module_demo):
    assert f'href="{SCHEDULE}"' not in pages_found(client.get("/search/", {"q": "寄り合い"}).content.decode())
    SearchPhrase.objects.create(phrase="寄り合い", kind=SearchPhrase.Kind.SYNONYM, target=SearchPhrase.Target.SCHEDULE)
    assert f'href="{SCHEDULE}"' in pages_found(client.get("/search/", {"q": "寄り合い"}).content.decode())


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=300, PUBLIC_PAGE_CACHE_HEADER=True)
def test_editing_the_table_makes_the_cached_search_page_stale(client, module_demo):
    first = client.get("/search/", {"q": "寄り合い"})
    assert client.get("/search/", {"q": "寄り合い"})["X-Page-Cache"] == "hit"
    assert f'href="{SCHEDULE}"' not in pages_found(first.content.decode())
    SearchPhrase.objects.create(phrase="寄り合い", kind=SearchPhrase.Kind.SYNONYM, target=SearchPhrase.Target.SCHEDULE)
    again = client.get("/search/", {"q": "寄り合い"})
    assert again["X-Page-Cache"] == "miss"
    assert f'href="{SCHEDULE}"' in pages_found(again.content.decode())


def test_a_stop_phrase_cannot_lead_anywhere(module_demo):
    with pytest.raises(IntegrityError), transaction.atomic():
        SearchPhrase.objects.create(phrase="ってどう", kind=SearchPhrase.Kind.STOP, target=SearchPhrase.Target.ROSTER)


def test_a_synonym_must_lead_somewhere(module_demo):
    phrase = SearchPhrase(phrase="なにか", kind=SearchPhrase.Kind.SYNONYM)
    with pytest.raises(ValidationError, match="案内するページか同じ意味の言葉"):
        phrase.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        phrase.save()


def test_the_seeded_table_holds_the_issues_words(module_demo):
    stops = set(SearchPhrase.objects.filter(kind="stop").values_list("phrase", flat=True))
    assert {"とは", "いくら", "について", "はいくら", "を知りたい"} <= stops
    assert SearchPhrase.objects.get(phrase="名簿").target == "roster"
