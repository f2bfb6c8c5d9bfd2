"""Areas and the clerks' texts in real Chromium: a clerk edits the home introduction and residents see
it at once, safely; the new and changed pages pass axe and fit 320 px."""

import pytest

from organizations.models import PageBlock
from tests.e2e.conftest import axe_violations, browser_login

SIDEWAYS = "document.documentElement.scrollWidth > window.innerWidth + 1"


@pytest.fixture
def resident(browser):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_clerk_edits_the_home_introduction_and_residents_see_it_at_once(page, resident, axe, demo_live):
    base = demo_live.url
    resident.goto(base + "/")
    resident.goto(base + "/")  # now served from the page cache
    assert "新見市版地域共生社会" in resident.locator("#home-intro").inner_text()

    browser_login(page, base, "seisaku", admin=True)
    block = PageBlock.objects.get(key="home_intro")
    page.goto(f"{base}/admin/organizations/pageblock/{block.pk}/change/")
    text = "地域のことを地域で決める取組です。[よくある質問](/faq/)もご覧ください。<script>window.hacked=1</script>"
    page.get_by_label("本文").fill(text)
    page.get_by_role("button", name="プレビュー").click()
    preview = page.locator("#page-block-preview")
    preview.wait_for()  # the form posts and the page comes back with the preview
    assert preview.get_by_role("link", name="よくある質問").count() == 1
    assert axe_violations(axe, page) == []
    block.refresh_from_db()
    assert "新見市版地域共生社会" in block.body  # the preview saved nothing
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(f"{base}/admin/organizations/pageblock/")

    resident.goto(base + "/")
    intro = resident.locator("#home-intro")
    assert "地域のことを地域で決める取組です。" in intro.inner_text()
    assert "<script>window.hacked=1</script>" in intro.inner_text()  # shown as text, never run
    assert resident.evaluate("window.hacked") is None
    resident.locator("#home-intro").get_by_role("link", name="よくある質問").click()
    resident.wait_for_url(base + "/faq/")

    page.goto(f"{base}/admin/organizations/pageblock/{block.pk}/history/")
    assert "総合政策課 職員" in page.content()  # the clerk, by name


NEW_PAGES = [
    "/",
    "/about/",
    "/grants/",
    "/accessibility/",
    "/regions/",
    "/regions/osa/",
    "/regions/osa-school/",
    "/regions/osa-tajibe/",
    "/cases/karamatsu-hirose-workshop/",
]


@pytest.fixture
def narrow(browser):
    context = browser.new_context(locale="ja-JP", viewport={"width": 320, "height": 640})
    yield context.new_page()
    context.close()


def test_new_and_changed_public_pages_pass_axe_and_fit_320_px(page, narrow, axe, demo_live):
    """地域の階層・編集できる文章のページが axe の検査と画面幅320pxを満たす"""
    base = demo_live.url
    problems = {}
    for path in NEW_PAGES:
        page.goto(base + path)
        found = axe_violations(axe, page)
        narrow.goto(base + path)
        if narrow.evaluate(SIDEWAYS):
            found.append("横スクロール")
        if found:
            problems[path] = found
    assert problems == {}
    # the 学区 page names its 大字, and each 大字 its 学区's organization
    page.goto(base + "/regions/osa-school/")
    assert page.get_by_role("link", name="大佐田治部").count() == 1
    page.goto(base + "/regions/osa-tajibe/")
    assert page.get_by_role("link", name="大佐くらし支え合い会議").count() >= 1
    assert page.locator("nav.breadcrumb-nav").inner_text().split("\n")[-2:] == ["大佐小学校区", "大佐田治部"]
    # the case page's photo loads, with its alternative text and caption
    page.goto(base + "/cases/karamatsu-hirose-workshop/")
    photo = page.locator("figure.case-photo img")
    assert photo.get_attribute("alt").startswith("机を囲んで話し合う5人の住民")
    # Loading the image may finish after the page's load event (lazy decoding): wait for it, then measure.
    photo.evaluate("img => img.complete || new Promise(done => img.addEventListener('load', done, {once: true}))")
    assert photo.evaluate("img => img.naturalWidth") == 1200
    assert "実際の写真ではありません" in page.locator("figure.case-photo figcaption").inner_text()
    narrow.goto(base + "/cases/karamatsu-hirose-workshop/")
    assert narrow.locator("figure.case-photo img").evaluate("img => img.getBoundingClientRect().width") <= 320


def test_admin_import_and_text_pages_pass_axe_and_fit_320_px(page, narrow, axe, demo_live):
    """管理画面の読み込み・ページの文章の画面が axe の検査と画面幅320pxを満たす"""
    base = demo_live.url
    browser_login(page, base, "seisaku", admin=True)
    browser_login(narrow, base, "seisaku", admin=True)
    paths = [
        "/admin/organizations/regionstatistic/import/",
        "/admin/organizations/region/import/",
        "/admin/organizations/pageblock/",
        f"/admin/organizations/pageblock/{PageBlock.objects.get(key='stage_1').pk}/change/",
    ]
    problems = {}
    for path in paths:
        page.goto(base + path)
        found = axe_violations(axe, page)
        narrow.goto(base + path)
        if narrow.evaluate(SIDEWAYS):
            found.append("横スクロール")
        if found:
            problems[path] = found
    assert problems == {}
    # a file with a bad row: the preview names it, at 320 px too
    csv = "基準日,旧市町,学区,大字,行政区,人口,世帯数,出典\n2026-04-01,大佐,大佐小学校区,大佐田治部,,たくさん,300,\n"
    for tab in (page, narrow):
        tab.goto(base + paths[0])
        tab.get_by_label("ファイル（.csv か .xlsx）").set_input_files(
            {"name": "bad.csv", "mimeType": "text/csv", "buffer": csv.encode()}
        )
        tab.get_by_role("button", name="内容を確かめる（保存しない）").click()
        assert "2行目: 人口「たくさん」は0以上の整数で入力してください。" in tab.locator("#import-errors").inner_text()
    assert axe_violations(axe, page) == []
    assert not narrow.evaluate(SIDEWAYS)
