"""Keyboard only: the skip link, a visible focus everywhere, and the two forms residents use most."""

import pytest

from grants.calculation import calculate_grant
from grants.models import FiscalYear
from tests.e2e.public.conftest import HIGH_CONTRAST_LARGE_TEXT, PUBLIC_PAGES, goto, use_display

ACTIVE_ID = "document.activeElement && document.activeElement.id"

# Whether the focused element shows a focus indicator: an outline at least 2px wide, or a box shadow.
FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const what = el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 20);
  return {shown: outline || s.boxShadow !== 'none', what: what};
}"""


def tab_to(page, element_id, limit=60):
    """Press Tab until the element has focus, as a keyboard user would; fail if it is never reached."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE_ID) == element_id:
            return
    pytest.fail(f"Tab キーで #{element_id} に届きません")


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, demo_live):
    """最初の Tab で「本文へ移動」リンクが現れ、Enter で本文に移る（全公開ページ）"""
    failing = []
    # The staff login page puts the focus in its user-name field (autofocus), past the skip link.
    for path in [p for p in PUBLIC_PAGES if p != "/accounts/login/"]:
        goto(page, demo_live, path)
        page.keyboard.press("Tab")
        skip = page.locator("a.skip-link")
        shown = skip.evaluate("el => el === document.activeElement") and skip.bounding_box()["x"] >= 0
        page.keyboard.press("Enter")
        if not shown or page.evaluate(ACTIVE_ID) != "main":
            failing.append(path)
    assert failing == []


FOCUS_PAGES = ["/", "/grants/?region=karamatsu", "/faq/", "/liaisons/", "/organizations/", "/regions/karamatsu/"]


@pytest.mark.parametrize("display", ["standard", "large-text-high-contrast"])
def test_focus_is_always_visible(page, demo_live, display):
    """Tab キーで移動するすべての要素で、フォーカスの位置が見える"""
    if display != "standard":
        use_display(page, demo_live, HIGH_CONTRAST_LARGE_TEXT)
    hidden, visited = [], 0
    for path in FOCUS_PAGES:
        goto(page, demo_live, path)
        for _ in range(120):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_SHOWN)
            if state is None:
                break
            visited += 1
            if not state["shown"]:
                hidden.append((path, state["what"]))
    assert visited > 100  # the walk really went through the pages
    assert hidden == []


@pytest.mark.parametrize("typed", ["からまつ", "唐松"])
def test_find_my_area_works_with_the_keyboard_alone(page, demo_live, typed):
    """「自分の地域をさがす」をキーボードだけで使える（漢字・かな）"""
    goto(page, demo_live, "/")
    tab_to(page, "id_q")
    page.keyboard.insert_text(typed)
    page.keyboard.press("Enter")
    page.wait_for_url("**/regions/karamatsu/")
    assert "唐松" in page.locator("h1").inner_text()


def test_grant_estimate_from_counts_works_with_the_keyboard_alone(page, demo_live):
    """一括交付金の試算（人口・世帯数の入力）をキーボードだけで使える"""
    goto(page, demo_live, "/grants/")
    tab_to(page, "id_population")
    page.keyboard.type("1234")
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE_ID) == "id_households"
    page.keyboard.type("517")
    page.keyboard.press("Enter")
    page.wait_for_url("**/grants/?population=1234&households=517#estimate-result")
    expected = calculate_grant(rule=FiscalYear.current().grant_rule, population=1234, households=517)
    assert f"基本額の目安: {expected.base_amount:,}円" in page.locator("#estimate-result-heading").inner_text()


def test_grant_estimate_for_an_area_works_with_the_keyboard_alone(page, demo_live):
    """一括交付金の試算（地域名を入力する・候補から選ぶ）をキーボードだけで使える"""
    goto(page, demo_live, "/grants/")
    tab_to(page, "id_area")
    page.keyboard.type("しんごう")
    page.keyboard.press("Enter")
    page.wait_for_url("**/grants/?area=*#estimate-result")
    assert "3か所" in page.locator(".estimate-candidates").inner_text()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "神郷高瀬（神郷）":
            break
    else:
        pytest.fail("Tab キーで候補「神郷高瀬」に届きません")
    page.keyboard.press("Enter")
    page.wait_for_url("**/grants/?region=shingo-takase#estimate-result")
    assert "神郷高瀬は神郷さとやま会議の活動区域です" in page.locator("#estimate-result").inner_text()
