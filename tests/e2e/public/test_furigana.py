"""ふりがな in real Chromium: switched on and off with the keyboard, with or without JavaScript, remembered
across pages, the readings drawn above their kanji."""

from tests.e2e.public.conftest import goto

RUBY_COUNT = "document.querySelectorAll('main ruby').length"
# Where the reading of the page's first heading sits relative to its kanji.
HEADING_RUBY = """() => {
  const ruby = document.querySelector('h1 ruby'), rt = ruby.querySelector('rt');
  const range = document.createRange();
  range.selectNode(ruby.firstChild);
  const base = range.getBoundingClientRect(), reading = rt.getBoundingClientRect();
  return {
    base: ruby.firstChild.textContent,
    reading: rt.textContent,
    above: reading.bottom <= base.top + 2 && reading.left < base.right && reading.right > base.left,
    rpShown: getComputedStyle(ruby.querySelector('rp')).display !== 'none',
  };
}"""


def test_furigana_switches_on_and_off_and_is_remembered(switch_page, demo_live):
    """ふりがな（なし・あり）を切り替えられ、次のページでも保たれる"""
    page = switch_page
    goto(page, demo_live, "/regions/")
    assert page.evaluate(RUBY_COUNT) == 0
    on = page.locator("header").get_by_role("button", name="ふりがな")
    assert on.get_attribute("aria-pressed") == "false"
    on.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == demo_live.url + "/regions/"
    assert page.evaluate(RUBY_COUNT) > 20
    assert on.get_attribute("aria-pressed") == "true"

    heading = page.evaluate(HEADING_RUBY)  # 地域の一覧: ちいき over 地域
    assert (heading["base"], heading["reading"]) == ("地域", "ちいき")
    assert heading["above"] and not heading["rpShown"]

    goto(page, demo_live, "/organizations/kumano-mirai/")  # another page, later: the choice is remembered
    readings = page.locator("main ruby", has_text="熊野").first.locator("rt").inner_text()
    assert readings == "くまの"

    with page.expect_navigation():
        on.click()  # pressed again: off
    assert page.evaluate(RUBY_COUNT) == 0
    assert on.get_attribute("aria-pressed") == "false"
    assert "熊野の将来を考える会" in page.locator("h1").inner_text()
