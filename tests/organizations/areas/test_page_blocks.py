"""Public prose the policy division edits in the admin: Markdown, a preview, history, and the cached
pages changed at once."""

import pytest
from django.test import Client

from organizations.models import PageBlock
from organizations.page_texts import DEFAULTS

pytestmark = pytest.mark.django_db

ADD = "/admin/organizations/pageblock/add/"


def change_url(block):
    return f"/admin/organizations/pageblock/{block.pk}/change/"


@pytest.fixture
def clerk(policy_officer):
    client = Client()
    client.force_login(policy_officer)
    return client


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("/", "home_intro"),
        ("/", "stage_2"),
        ("/about/", "about_roles"),
        ("/grants/", "grants_who"),
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
