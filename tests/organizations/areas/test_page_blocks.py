"""Public prose the policy division edits in the admin: Markdown, a preview, history, and the cached
pages changed at once."""

import pytest

from organizations.models import PageBlock
from organizations.page_texts import DEFAULTS
from tests.helpers import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_mode_on(settings):
    """The grant page's block on the invented base-amount structure shows in demo mode only: on here."""
    settings.DEMO_MODE = True


ADD = "/admin/organizations/pageblock/add/"


def change_url(block):
    return f"/admin/organizations/pageblock/{block.pk}/change/"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("/", "home_intro"),
        ("/", "stage_2"),
        ("/", "home_what"),
        ("/about/", "about_roles"),
        ("/grants/", "grants_who"),
        ("/grants/", "grants_how"),
        ("/grants/", "grants_how_demo"),
        ("/grants/", "grants_how_subsidies"),
        ("/grants/", "grants_how_dates"),
        ("/accessibility/", "accessibility_intro"),
    ],
)
def test_pages_show_todays_text_until_a_clerk_saves_one(client, current_year, url, key):
    first_words = DEFAULTS[key][1].split("、")[0].removeprefix("- **").split("**")[0]
    assert first_words in client.get(url).content.decode()


def test_a_clerks_edit_with_a_link_shows_at_once_and_a_script_stays_text(clerk, current_year):
    resident = Client()
    assert resident.get("/")["X-Page-Cache"] == "miss"
    assert resident.get("/")["X-Page-Cache"] == "hit"
    body = "新しい紹介です。[よくある質問](/faq/)もご覧ください。\n\n<script>alert(1)</script>"
    response = clerk.post(ADD, {"key": "home_intro", "body": body, "history_change_reason": "市長の交代"})
    assert response.status_code == 302
    page = resident.get("/")
    html = page.content.decode()
    assert page["X-Page-Cache"] == "miss"  # the save made the cached page stale
    assert '新しい紹介です。<a href="/faq/" rel="noopener noreferrer">よくある質問</a>もご覧ください。' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


def test_the_moved_texts_keep_their_wording_and_their_markup(client, current_year):
    home = client.get("/").content.decode()
    assert "簡単に言うと「地域に合った広さで、暮らしに関わるいろいろなことを、住民自身が決めて取り組む」" in home
    assert "<li><strong>① 小規模</strong>: 日常生活圏域（大字区域や小学校区（旧小学校区を含みます））など" in home
    assert "<li><strong>③ 自治</strong>: 住民が自分たちで考え方や進む方向を決め、" in home
    grants = client.get("/grants/").content.decode()
    assert '（<a href="/documents/#category-manual" rel="noopener noreferrer">資料室</a>）をご覧ください。' in grants
    assert "<strong>基本額</strong>: 地域運営組織の運営経費などの額です。" in grants
    # the デモ badge stands beside the sentence that says the base-amount structure is invented
    badge, sentence = grants.index("demo-structure"), grants.index("この組み立ては市の実際の算定方法ではなく")
    assert badge < grants.index("demo-badge", badge) < sentence
    assert "基本額を「均等割（どの組織にも同じ額）＋ 人口割（人口 × 単価）＋ " in grants
    assert "世帯割（世帯数 × 単価）＋ 事務局人件費」とし、決められた単位未満を切り捨て" in grants
    assert "デモ用の仮のものです。" in grants
    own = "人口と世帯数は、年度ごとに決めた基準日（例: 4月1日現在の住民基本台帳）の数を使います（ポータルによる説明）。"
    assert own in grants


@pytest.mark.parametrize(
    ("url", "key"),
    [("/", "home_what"), ("/grants/", "grants_how"), ("/grants/", "grants_how_demo")],
)
def test_a_clerks_edit_of_a_moved_text_shows_on_its_page(clerk, current_year, url, key):
    old = DEFAULTS[key][1].split("、")[0].removeprefix("- **").split("**")[0]
    response = clerk.post(ADD, {"key": key, "body": "書き直した**説明**です。", "history_change_reason": "見直し"})
    assert response.status_code == 302
    html = Client().get(url).content.decode()
    assert "書き直した<strong>説明</strong>です。" in html and old not in html


def test_preview_shows_the_text_as_residents_will_and_saves_nothing(clerk):
    block = PageBlock.objects.create(key="stage_1", body="前の文です。")
    response = clerk.post(change_url(block), {"body": "**太字**の新しい文", "_preview": "プレビュー"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "プレビュー（まだ保存していません）" in html and "<strong>太字</strong>の新しい文" in html
    assert "**太字**の新しい文</textarea>" in html  # the form keeps what was typed
    block.refresh_from_db()
    assert block.body == "前の文です。"


def test_history_keeps_who_when_and_before_after(clerk, policy_officer):
    block = PageBlock.objects.create(key="grants_intro", body="前の文です。")
    clerk.post(change_url(block), {"body": "後の文です。", "history_change_reason": "表現の見直し"})
    latest = block.history.first()
    assert latest.history_user == policy_officer and latest.history_change_reason == "表現の見直し"
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("body", "前の文です。", "後の文です。")]
    html = clerk.get(f"/admin/organizations/pageblock/{block.pk}/history/").content.decode()
    assert "前の文です。" in html and "後の文です。" in html


def test_a_liaison_cannot_edit_the_texts(client, assigned_liaison):
    client.force_login(assigned_liaison)
    response = client.post(ADD, {"key": "home_intro", "body": "勝手な文"})
    assert response.status_code in (302, 403) and not PageBlock.objects.exists()


def test_each_place_has_one_text(clerk):
    PageBlock.objects.create(key="home_intro", body="一つ目")
    response = clerk.post(ADD, {"key": "home_intro", "body": "二つ目"})
    assert "この場所を持つページの文章はすでに存在します" in response.content.decode() or PageBlock.objects.count() == 1
    assert PageBlock.objects.count() == 1
