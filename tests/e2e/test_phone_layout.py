"""A phone (375×812): the header stays a compact bar under every display setting, and no text is
squeezed into one or two characters per line, on the public pages, the workspace and an estimate result."""

import pytest

from tests.e2e.conftest import browser_login
from tests.e2e.public.conftest import PUBLIC_PAGES, goto, use_display

PHONE = {"width": 375, "height": 812}
HEADER_LIMIT = PHONE["height"] / 5  # the header takes at most a fifth of the first screen: 162 px

DISPLAYS = {
    "standard": {},
    "large": {"portal_text_size": "large"},
    "furigana": {"portal_ruby": "on"},
    "large-furigana": {"portal_text_size": "large", "portal_ruby": "on"},
    "large-furigana-high-contrast": {"portal_text_size": "large", "portal_ruby": "on", "portal_contrast": "high"},
}

ESTIMATE = "/grants/?region=karamatsu#estimate-result"
PAGES = [*PUBLIC_PAGES, ESTIMATE, "/grants/?population=1131&households=520"]
WORKSPACE_PAGES = ["/workspace/", "/workspace/meetings/"]

HEADER_HEIGHT = "document.querySelector('header.site-header').getBoundingClientRect().height"

# Text nodes of three or more letters whose widest line holds fewer than three letters, and table
# cells and captions narrower than three letters: text squeezed to a letter or two per line.
SQUEEZED = """() => {
  const found = [];
  const visible = el => { const s = getComputedStyle(el); return s.display !== 'none' && s.visibility !== 'hidden'; };
  // Hidden from view but kept for screen readers (.visually-hidden, a stacked table's header row).
  const clipped = el => {
    for (; el; el = el.parentElement) {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 && r.height <= 1) return true;
    }
    return false;
  };
  const shownText = el => Array.from(el.childNodes).map(n => n.nodeType === 3 ? n.textContent
    : (n.nodeType === 1 && !clipped(n) ? shownText(n) : '')).join('');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, '');
    const el = node.parentElement;
    if (text.length < 3 || !el || el.closest('.skip-link, rt, script, style, select, option')) continue;
    if (!visible(el) || el.offsetParent === null || clipped(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
    const tops = new Set(rects.map(r => Math.round(r.top)));
    if (tops.size < 3) continue;  // a short text may wrap once anywhere; squeezed text runs down the page
    const widest = Math.max(...rects.map(r => r.width));
    const em = parseFloat(getComputedStyle(el).fontSize);
    if (widest < 2.5 * em) found.push(el.tagName + ': ' + text.slice(0, 20));
  }
  for (const cell of document.querySelectorAll('td, th, caption')) {
    const text = shownText(cell).replace(/\\s+/g, '');
    if (text.length < 3 || !visible(cell) || cell.offsetParent === null || clipped(cell)) continue;
    const em = parseFloat(getComputedStyle(cell).fontSize);
    if (cell.getBoundingClientRect().width < 3 * em) found.push(cell.tagName + ' (幅): ' + text.slice(0, 20));
  }
  return found;
}"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="ja-JP", viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("display", DISPLAYS)
def test_header_is_a_compact_bar_and_no_text_is_squeezed_on_a_phone(phone, demo_live, display):
    """スマートフォン（375×812）で、ヘッダーが画面の5分の1以下に収まり、1〜2文字ずつ折り返す文字がない（全公開ページ・試算結果）"""
    use_display(phone, demo_live, DISPLAYS[display])
    tall, squeezed = {}, {}
    for path in PAGES:
        goto(phone, demo_live, path)
        height = phone.evaluate(HEADER_HEIGHT)
        if height > HEADER_LIMIT:
            tall[path] = height
        if found := phone.evaluate(SQUEEZED):
            squeezed[path] = found
    assert tall == {}
    assert squeezed == {}


@pytest.mark.parametrize("display", ["standard", "large-furigana"])
def test_workspace_header_is_compact_and_no_text_is_squeezed_on_a_phone(phone, demo_live, display):
    """職員ページもスマートフォンでヘッダーが5分の1以下で、文字が押しつぶされない"""
    browser_login(phone, demo_live.url, "tanto1")  # clears the cookies, so the display is chosen after it
    use_display(phone, demo_live, DISPLAYS[display])
    phone.locator("main a[href$='/meetings/new/']").first.click()
    paths = [*WORKSPACE_PAGES, phone.url.removeprefix(demo_live.url)]
    goto(phone, demo_live, "/workspace/meetings/")
    phone.locator("main table a, main li a[href*='/workspace/meetings/']").first.click()
    paths.append(phone.url.removeprefix(demo_live.url))
    tall, squeezed = {}, {}
    for path in paths:
        goto(phone, demo_live, path)
        if (height := phone.evaluate(HEADER_HEIGHT)) > HEADER_LIMIT:
            tall[path] = height
        if found := phone.evaluate(SQUEEZED):
            squeezed[path] = found
    assert len(paths) == 4
    assert tall == {}
    assert squeezed == {}


def test_the_menu_opens_without_javascript_and_the_display_switches_work_without_it(browser, demo_live):
    """メニューは JavaScript なしで開き、表示の切り替えはメニューの外にあって JavaScript なしで使える"""
    context = browser.new_context(locale="ja-JP", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    goto(page, demo_live, "/")
    nav = page.get_by_role("navigation", name="サイト内の主なページ")
    assert not nav.is_visible()
    assert page.get_by_role("button", name="大きな文字").is_visible()  # not hidden in the menu
    page.locator("summary", has_text="メニュー").click()
    assert nav.get_by_role("link", name="一括交付金").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="大きな文字").click()
    assert page.get_by_role("button", name="大きな文字").get_attribute("aria-pressed") == "true"
    assert not nav.is_visible()  # the menu is closed again on the new page
    assert page.evaluate(HEADER_HEIGHT) <= HEADER_LIMIT
    context.close()


def test_estimate_result_scrolls_into_view_after_submitting(phone, demo_live):
    """試算のボタンを押すと、結果が画面に表示される（フォームの位置に戻らない）"""
    goto(phone, demo_live, "/grants/")
    phone.locator("#id_population").fill("1131")
    phone.locator("#id_households").fill("520")
    phone.get_by_role("button", name="この人数で試算する").click()
    phone.wait_for_url("**#estimate-result")
    phone.wait_for_load_state("load")
    result = phone.locator("#estimate-result")
    for _ in range(50):  # the browser goes to the fragment once the page has its final layout
        top = result.evaluate("el => el.getBoundingClientRect().top")
        if 0 <= top < PHONE["height"] / 2:
            break
        phone.wait_for_timeout(100)
    assert 0 <= top < PHONE["height"] / 2
    assert "基本額" in result.inner_text()
    # The breakdown is two columns: each item with its basis under it, and the amount beside it.
    assert result.locator("table.estimate-table thead th").all_inner_texts() == ["項目（計算のもと）", "金額"]
