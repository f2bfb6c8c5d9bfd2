"""Reflow and resize: no sideways scrolling at 320 px, and text at 200 % still fits and reads."""

import pytest

from tests.e2e.public.conftest import DISPLAYS, PUBLIC_PAGES, goto, use_display

# Elements whose text is cut off: content wider or taller than a box that hides its overflow.
CLIPPED_TEXT = """() => Array.from(document.querySelectorAll('main *, header *, footer *')).filter(el => {
  const style = getComputedStyle(el);
  if (style.display === 'none' || style.visibility === 'hidden' || !el.textContent.trim()) return false;
  if (el.closest('.visually-hidden, .skip-link')) return false;
  const hides = v => v === 'hidden' || v === 'clip';
  return (hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
      || (hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1);
}).map(el => el.tagName + '.' + el.className)"""

SIDEWAYS = "document.documentElement.scrollWidth > window.innerWidth"


@pytest.fixture
def narrow_page(browser):
    context = browser.new_context(locale="ja-JP", viewport={"width": 320, "height": 640})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("display", ["standard", "large-text-high-contrast", "furigana"])
def test_no_page_scrolls_sideways_at_320_px(narrow_page, demo_live, display):
    """画面幅320pxで横スクロールが生じない（全公開ページ）"""
    if display != "standard":
        use_display(narrow_page, demo_live, DISPLAYS[display])
    wide = []
    for path in PUBLIC_PAGES:
        goto(narrow_page, demo_live, path)
        if narrow_page.evaluate(SIDEWAYS):
            wide.append((path, narrow_page.evaluate("document.documentElement.scrollWidth")))
    assert wide == []


def test_text_zoomed_to_200_percent_still_fits_and_reads(page, demo_live):
    """文字だけを200%に拡大しても、はみ出し・切れ・横スクロールがない（全公開ページ）"""
    problems = {}
    for path in PUBLIC_PAGES:
        goto(page, demo_live, path)
        before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main')).fontSize)")
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        after = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main')).fontSize)")
        found = []
        if after < before * 1.9:
            found.append(f"文字が {before}px から {after}px にしかならない")
        if page.evaluate(SIDEWAYS):
            found.append("横スクロール")
        found += page.evaluate(CLIPPED_TEXT)
        if found:
            problems[path] = found
    assert problems == {}


def test_page_zoomed_to_200_percent_reflows_without_sideways_scrolling(browser, demo_live):
    """ブラウザの表示倍率200%（幅1280pxの画面）で横スクロールが生じない（全公開ページ）"""
    context = browser.new_context(locale="ja-JP", viewport={"width": 640, "height": 450}, device_scale_factor=2)
    page = context.new_page()
    wide = []
    for path in PUBLIC_PAGES:
        goto(page, demo_live, path)
        if page.evaluate(SIDEWAYS):
            wide.append(path)
    context.close()
    assert wide == []
