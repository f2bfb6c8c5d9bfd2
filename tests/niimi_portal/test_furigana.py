"""ふりがな: readings over kanji, stored よみ for names, every page's structure kept, the switch, the cache."""

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from model_bakery import baker

from niimi_portal.context_processors import RUBY_COOKIE
from niimi_portal.lib import furigana
from niimi_portal.names import names
from organizations.models import Organization, Region
from staff.models import Assignment, LiaisonOfficer
from tests.e2e.public.conftest import PUBLIC_PAGES
from tests.helpers import Client

pytestmark = pytest.mark.django_db

KANJI = re.compile(f"[{furigana.KANJI}]")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts without cached names or readings (the database of the last test is gone)."""
    cache.clear()
    furigana.forget_readings()
    yield
    cache.clear()
    furigana.forget_readings()


class Reading(HTMLParser):
    """What a reader of the HTML gets: the text with and without the readings, the kanji left without
    one, and the page's skeleton (every tag but ruby/rt/rp, with its attributes)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.skeleton, self.plain_text, self.readings, self.bare_kanji, self.ruby_in_kept = [], [], [], [], []
        self.ruby = self.rt = self.kept = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "ruby":
            self.ruby += 1
            self.ruby_in_kept.extend([tag] if self.kept else [])
        elif tag in ("rt", "rp"):
            self.rt += 1
        else:
            attrs = [(k, "(token)" if dict(attrs).get("name") == "csrfmiddlewaretoken" and k == "value" else v)
                     for k, v in attrs]  # fmt: skip
            self.skeleton.append((tag, attrs))
            if tag in ("script", "style", "textarea", "option", "title", "select"):
                self.kept += 1

    def handle_endtag(self, tag):
        if tag == "ruby":
            self.ruby -= 1
        elif tag in ("rt", "rp"):
            self.rt -= 1
        else:
            self.skeleton.append(("/" + tag,))
            if tag in ("script", "style", "textarea", "option", "title", "select"):
                self.kept -= 1

    def handle_data(self, data):
        if self.rt:
            if data not in ("（", "）"):
                self.readings.append(data)
            return
        self.plain_text.append(data)
        if not self.ruby and not self.kept and not self.cdata_elem:
            self.bare_kanji.extend(KANJI.findall(data))

    @property
    def text(self):
        return "".join(self.plain_text)


def ruby_client():
    client = Client()
    client.cookies[RUBY_COOKIE] = "on"
    return client


def get_html(client, path):
    response = client.get(path)
    assert response.status_code == (404 if path == "/no-such-page/" else 200), path
    return response.content.decode()


# --- Readings --------------------------------------------------------------------------------------


def test_niimi_reads_niimi_from_its_stored_yomi(town):
    html = furigana.text_with_ruby("新見市の地域", names())
    # 新見 and 市 touch: one <ruby> with their readings joined, so no gap opens inside the word.
    assert html.startswith("<ruby>新見市<rp>（</rp><rt>にいみし</rt><rp>）</rp></ruby>の")


def test_a_place_name_reads_as_stored_not_as_the_analyzer_guesses(db):
    assert "".join(r or "" for _, r in furigana.analyze("大佐")) == "たいさ"  # the analyzer's guess
    baker.make(Region, kind=Region.Kind.FORMER_TOWN, name="大佐", name_kana="おおさ", slug="osa")
    assert Reading(furigana.text_with_ruby("大佐の地域", names())).readings == ["おおさ", "ちいき"]


def test_every_kanji_run_of_chiiki_unei_soshiki_gets_a_reading(db):
    page = Reading(furigana.text_with_ruby("地域運営組織をつくる、地域担当職員と一括交付金", names()))
    assert page.bare_kanji == []
    assert page.readings[:2] == ["ちいきうんえいそしき", "ちいきたんとうしょくいん"]
    assert page.text == "地域運営組織をつくる、地域担当職員と一括交付金"


def test_readings_sit_over_the_kanji_only_not_over_the_okurigana(db):
    html = furigana.text_with_ruby("新しい取組を書き込み", names())
    assert html.startswith("<ruby>新<rp>（</rp><rt>あたら</rt><rp>）</rp></ruby>しい")
    assert "<ruby>書<rp>（</rp><rt>か</rt><rp>）</rp></ruby>き<ruby>込<rp>（</rp><rt>こ</rt>" in html


def readings_of(text, kanji):
    return [reading for base, reading in furigana.analyze(text) if base == kanji]


@pytest.mark.parametrize(
    ("text", "kanji", "reading"),
    [
        ("人の目による試験を行っていません", "行", "おこな"),
        ("役員の負担軽減もあわせて行っていただきたい", "行", "おこな"),
        ("住民の方が参加できる会議", "方", "かた"),
        ("小学生から高齢の方まで", "方", "かた"),
        ("表計算ソフトで開ける CSV", "開", "ひら"),
        ("簡単に言うと", "言", "い"),
    ],
)
def test_the_four_readings_the_analyzer_got_wrong_read_as_meant(text, kanji, reading):
    assert readings_of(text, kanji) == [reading]


@pytest.mark.parametrize(
    ("text", "kanji", "reading"),
    [
        ("会場に行ってください", "行", "い"),
        ("荷物を持って行ってください", "行", "い"),
        ("こちらの方が近い", "方", "ほう"),
        ("窓を開ける", "開", "あ"),
        ("意見を言います", "言", "い"),
    ],
)
def test_the_same_words_keep_their_other_reading_where_the_context_means_it(text, kanji, reading):
    assert readings_of(text, kanji) == [reading]


def test_a_name_is_split_over_its_kanji_runs_with_the_help_of_other_names_and_the_analyzer():
    table = furigana.build_names(
        [
            ("熊野", "くまの"),
            ("熊野の将来を考える会", "くまののしょうらいをかんがえるかい"),
            ("山田 太郎", "やまだ たろう"),
        ]
    )
    # くま|のしょうらい would also fit the kana; the area's own よみ and the analyzer settle it.
    assert table.pieces["熊野の将来を考える会"][:3] == [("熊野", "くまの"), ("の", None), ("将来", "しょうらい")]
    assert table.pieces["山田 太郎"] == [("山田", "やまだ"), (" ", None), ("太郎", "たろう")]


def test_a_name_its_yomi_does_not_fit_is_left_to_the_analyzer():
    table = furigana.build_names([("千屋地区づくり準備会（非公開の下書き）", "ちやちくづくりじゅんびかい")])
    assert table.pieces == {}


def test_only_names_the_public_pages_show_have_their_yomi_used(organization, other_area, current_year):
    hidden = baker.make(Organization, name="秘密会議", name_kana="ひみつのかいぎ", slug="secret", is_published=False)
    on_roster = baker.make(LiaisonOfficer, name="新見 一郎", name_kana="にいみ いちろう")
    baker.make(Assignment, officer=on_roster, organization=organization, fiscal_year=current_year)
    for_hidden = baker.make(LiaisonOfficer, name="隠岐 次郎", name_kana="おき じろう")
    baker.make(Assignment, officer=for_hidden, organization=hidden, fiscal_year=current_year)
    baker.make(LiaisonOfficer, name="未定 三郎", name_kana="みてい さぶろう")  # on no roster
    shown = set(names().pieces)
    assert {"唐松", "高尾", "新見", "唐松まちづくり協議会", "新見 一郎"} <= shown
    assert shown.isdisjoint({"秘密会議", "隠岐 次郎", "未定 三郎"})


def test_a_changed_yomi_is_used_at_once(area):
    assert Reading(furigana.page_with_ruby("<p>唐松</p>", names())).readings == ["からまつ"]
    area.name_kana = "とうしょう"
    area.save()
    assert Reading(furigana.page_with_ruby("<p>唐松</p>", names())).readings == ["とうしょう"]


# --- The transformation keeps everything but text ----------------------------------------------------

KEPT = [
    '<script src="/static/x.js"></script><script type="application/json">{"a": "新見"}</script>',
    "<style>/* 新見 */ .a::before { content: '地域'; }</style>",
    '<textarea name="memo">新見の&lt;地域&gt;</textarea>',
    '<select name="s"><option value="1" selected>新見</option><option>大佐<optgroup label="地域"></select>',
    '<input type="text" name="q" value="新見" placeholder="地域名" aria-label="地域をさがす">',
    '<img src="/x.png" alt="新見の地図" title="地域">',
    "<!-- 新見 -->",
    '<span lang="en">Niimi 新見</span>',
    "<code>新見</code>",
]


def test_script_style_form_fields_comments_and_attributes_stay_byte_for_byte(town):
    document = "<!doctype html><html lang='ja'><head><title>新見 | 地域</title></head><body>"
    document += "".join(f"<div>{part}</div><p>地域</p>" for part in KEPT)
    document += '<a href="/regions/新見/" title="新見">新見 &amp; 地域 &lt;1&gt;</a></body></html>'
    result = furigana.page_with_ruby(document, names())
    for part in ["<title>新見 | 地域</title>", *KEPT, '<a href="/regions/新見/" title="新見">']:
        assert part in result
    assert result.count("<ruby>地域<rp>（</rp><rt>ちいき</rt><rp>）</rp></ruby>") == len(KEPT) + 1
    assert "<ruby>新見<rp>（</rp><rt>にいみ</rt><rp>）</rp></ruby> &amp; <ruby>地域" in result
    assert "&lt;1&gt;</a>" in result
    assert re.sub(r"<rp>（</rp><rt>[^<]*</rt><rp>）</rp>|</?ruby>", "", result) == document


def test_a_document_without_kanji_comes_back_unchanged(db):
    document = "<p>ひらがな と カタカナ、ABC &amp; 123</p>"
    assert furigana.page_with_ruby(document, names()) == document


# --- Every public page, plain and with ふりがな ----------------------------------------------------------


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_with_furigana_is_the_plain_page_plus_readings(module_demo, path):
    """Same tags and attributes in the same order (so the same links and forms), same text, same title."""
    plain = Reading(get_html(Client(), path))
    ruby = Reading(get_html(ruby_client(), path))
    assert ruby.readings, "the page got readings"
    assert ruby.bare_kanji == [], "every kanji outside script, style, form fields and <title> has a reading"
    assert ruby.ruby_in_kept == []
    assert ruby.text == plain.text
    assert without_display_state(ruby.skeleton) == without_display_state(plain.skeleton)


def without_display_state(skeleton):
    """The switch's toggles say which choice is on (aria-pressed) and send the other one (value), and <body>'s
    class says ruby-on: the only attributes that differ, by design."""
    differ = {("button", "aria-pressed"), ("body", "class")}

    def kept(tag):
        toggle = tag[0] == "button" and "aria-pressed" in dict(tag[1])
        return [(k, v) for k, v in tag[1] if (tag[0], k) not in differ and not (toggle and k == "value")]

    return [(tag[0], kept(tag)) if len(tag) > 1 else tag for tag in skeleton]


FORM_TAGS = re.compile(r"<(?:form|input|select|textarea|button|label)\b[^>]*>")
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def form_tags(html):
    """The tags of the page's forms, with the CSRF token blanked and without the display switch's state."""
    return [CSRF_TOKEN.sub("token", tag) for tag in FORM_TAGS.findall(html) if "aria-pressed" not in tag]


def test_the_same_links_and_forms_as_the_plain_page(module_demo):
    for path in ("/", "/faq/?q=交付金", "/grants/?region=karamatsu", "/accounts/login/", "/liaisons/"):
        plain, ruby = get_html(Client(), path), get_html(ruby_client(), path)
        assert re.findall(r"<a [^>]*>", ruby) == re.findall(r"<a [^>]*>", plain)
        assert form_tags(ruby) == form_tags(plain)
        assert len(form_tags(plain)) >= 3


def test_the_title_and_search_box_keep_their_text(module_demo):
    plain, ruby = get_html(Client(), "/faq/?q=交付金"), get_html(ruby_client(), "/faq/?q=交付金")
    title = re.search(r"<title>.*</title>", plain).group()
    assert "交付金" in title and title in ruby
    assert 'value="交付金"' in ruby
    assert "<ruby>" in ruby.split("<body", 1)[1]


# --- The switch, without JavaScript -----------------------------------------------------------------


def test_the_switch_turns_furigana_on_in_a_cookie_and_goes_back(module_demo):
    client = Client()
    response = client.get("/display/", {"ruby": "on", "next": "/faq/"})
    assert response.status_code == 302 and response["Location"] == "/faq/"
    cookie = response.cookies[RUBY_COOKIE]
    assert (cookie.value, cookie["max-age"], cookie["samesite"], cookie["httponly"]) == ("on", 31536000, "Lax", True)
    page = get_html(client, "/faq/")
    assert "<ruby><rp>" not in page and "<ruby>質問<rp>（</rp><rt>しつもん</rt>" in page
    assert 'name="ruby" value="off" class="btn btn-outline-dark display-toggle" aria-pressed="true"' in page
    assert "ruby-on" in re.search(r"<body class=\"([^\"]*)\"", page).group(1)


def test_furigana_is_remembered_on_the_next_pages_until_turned_off(module_demo):
    client = Client()
    client.get("/display/", {"ruby": "on", "next": "/"})
    for path in ("/regions/", "/organizations/kumano-mirai/", "/no-such-page/"):
        assert "<ruby>" in get_html(client, path), path
    client.get("/display/", {"ruby": "off", "next": "/"})
    page = get_html(client, "/regions/")
    assert "<ruby>" not in page
    assert 'name="ruby" value="on" class="btn btn-outline-dark display-toggle" aria-pressed="false"' in page


def test_an_unknown_value_changes_nothing(module_demo):
    response = Client().get("/display/", {"ruby": "<script>", "next": "/"})
    assert RUBY_COOKIE not in response.cookies
    client = Client()
    client.cookies[RUBY_COOKIE] = "yes"
    assert "<ruby>" not in get_html(client, "/")


def test_the_staff_login_still_works_from_the_furigana_page(module_demo):
    client = Client(enforce_csrf_checks=True)
    client.cookies[RUBY_COOKIE] = "on"
    page = get_html(client, "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/accounts/login/",
        {"username": "seisaku", "password": "niimi-demo-2026", "csrfmiddlewaretoken": token},
        REMOTE_ADDR="127.0.0.1",
    )
    assert response.status_code == 302


# --- Cache ------------------------------------------------------------------------------------------


def test_a_page_seen_before_is_not_analyzed_again_and_costs_no_extra_query(module_demo, monkeypatch, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # measure the ruby rendering itself, not the whole-page cache
    calls = []
    analyze = furigana.analyze
    monkeypatch.setattr(furigana, "analyze", lambda text: calls.append(text) or analyze(text))
    client = ruby_client()
    first = get_html(client, "/regions/karamatsu/")
    assert calls
    calls.clear()
    with CaptureQueriesContext(connection) as ruby_queries:
        again = get_html(client, "/regions/karamatsu/")
    with CaptureQueriesContext(connection) as plain_queries:
        get_html(Client(), "/regions/karamatsu/")
    assert again == first
    assert calls == []
    assert len(ruby_queries) == len(plain_queries)


def test_a_page_whose_markup_differs_reuses_the_readings_of_its_text(module_demo, monkeypatch):
    """The login form's CSRF token differs on every visit; its text does not."""
    calls = []
    analyze = furigana.analyze
    monkeypatch.setattr(furigana, "analyze", lambda text: calls.append(text) or analyze(text))
    first = get_html(ruby_client(), "/accounts/login/")
    calls.clear()
    second = get_html(ruby_client(), "/accounts/login/")
    assert first != second  # another token
    assert calls == []
