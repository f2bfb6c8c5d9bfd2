"""A phone (375 × 812) in Chromium: what residents come for is on the first screen, the display switches
stand in the header, every control is at least 44 × 44 px, the FAQ opens question by question, and an
estimate's result follows the form that asked for it."""

import pytest

from tests.e2e.conftest import browser_login
from tests.e2e.public.conftest import PUBLIC_PAGES, goto

PHONE = {"width": 375, "height": 812}
HEADER_LIMIT = PHONE["height"] / 5  # 162 px

# Controls (buttons, fields, summaries, pages of a list) smaller than 44 × 44 px; a radio button or
# check box counts by its label, which is the target that toggles it.
SMALL_CONTROLS = """() => {
  const small = [];
  const shown = el => el.checkVisibility({visibilityProperty: true}) && !el.closest('.visually-hidden, .skip-link');
  const controls = document.querySelectorAll(
    'button, input:not([type=hidden]), select, textarea, summary, .page-link, a.btn');
  for (let el of controls) {
    if (!shown(el)) continue;
    const text = (el.innerText || el.value || '').trim().slice(0, 20);
    let name = el.tagName.toLowerCase() + (el.name ? '[' + el.name + ']' : '') + ' ' + text;
    if (el.type === 'radio' || el.type === 'checkbox') {
      if (!el.labels || !el.labels.length) { small.push(name + ' (ラベルなし)'); continue; }
      el = el.labels[0];
    }
    const r = el.getBoundingClientRect();
    if (r.width < 43.5 || r.height < 43.5) small.push(name + ' ' + Math.round(r.width) + '×' + Math.round(r.height));
  }
  return small;
}"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="ja-JP", viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def bottom(page, selector):
    return page.locator(selector).first.evaluate("el => el.getBoundingClientRect().bottom")


def test_the_find_my_area_box_is_on_the_first_screen_of_home(phone, demo_live):
    """ホームの「自分の地域をさがす」（入力欄とボタン）が、スマートフォンの最初の画面（812px）に収まる"""
    goto(phone, demo_live, "/")
    assert bottom(phone, "section:has(#find-heading)") <= PHONE["height"]
    assert phone.get_by_role("button", name="さがす").is_visible()


def test_the_display_switches_stand_in_a_compact_header_without_opening_the_menu(phone, demo_live):
    """文字サイズ・背景色・ふりがなの切り替えは、メニューを開かなくてもヘッダーに見え、ヘッダーは画面の5分の1以下"""
    goto(phone, demo_live, "/")
    header = phone.locator("header.site-header")
    for name in ("大きな文字", "黒地に黄色", "ふりがな"):
        button = header.get_by_role("button", name=name)
        assert button.is_visible()
        assert button.get_attribute("aria-pressed") == "false"
    assert header.evaluate("el => el.getBoundingClientRect().height") <= HEADER_LIMIT
    assert not phone.get_by_role("navigation", name="サイト内の主なページ").is_visible()  # the menu stays closed

    big = header.get_by_role("button", name="大きな文字")
    big.focus()
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    assert header.get_by_role("button", name="大きな文字").get_attribute("aria-pressed") == "true"
    assert header.evaluate("el => el.getBoundingClientRect().height") <= HEADER_LIMIT


def test_every_control_on_the_public_pages_is_at_least_44_px_square(phone, demo_live):
    """全公開ページで、ボタン・入力欄・選択肢などの操作部分が 44×44px 以上"""
    small = {}
    for path in PUBLIC_PAGES:
        goto(phone, demo_live, path)
        if found := phone.evaluate(SMALL_CONTROLS):
            small[path] = found
    assert small == {}


def test_every_control_of_the_liaison_meeting_form_is_at_least_44_px_square(phone, demo_live):
    """地域担当職員の会議記録の入力画面で、ラジオボタン・チェックボックス（のラベル）を含む操作部分が 44×44px 以上"""
    browser_login(phone, demo_live.url, "tanto1")
    phone.locator("main a[href$='/meetings/new/']").first.click()
    phone.wait_for_load_state("load")
    assert phone.locator("main input[type=radio], main input[type=checkbox]").count() >= 2
    assert phone.evaluate(SMALL_CONTROLS) == []
    # The label is the target: a tap on it checks the box.
    box = phone.locator("main input[type=checkbox]").first
    checked = box.is_checked()
    box.evaluate("el => el.labels[0].click()")
    assert box.is_checked() != checked


def test_faq_questions_are_closed_on_the_first_screen_and_open_all_with_the_keyboard(phone, demo_live):
    """よくある質問は質問だけが並び（最初の画面に質問が見える）、「すべての回答を開く」をキーボードで押すと全部開く"""
    goto(phone, demo_live, "/faq/")
    details = phone.locator("details.faq-details")
    count = details.count()
    assert count >= 8
    assert details.evaluate_all("els => els.filter(d => d.open).length") == 0
    assert bottom(phone, "summary.faq-question") <= PHONE["height"]  # the first question on the first screen

    phone.get_by_role("button", name="すべての回答を開く").focus()
    phone.keyboard.press("Enter")
    assert details.evaluate_all("els => els.filter(d => d.open).length") == count
    assert phone.locator(".faq-answer").first.is_visible()
    phone.get_by_role("button", name="すべての回答を閉じる").focus()
    phone.keyboard.press("Space")
    assert details.evaluate_all("els => els.filter(d => d.open).length") == 0

    question = phone.locator("summary.faq-question").nth(2)  # one question opens with the keyboard too
    question.focus()
    phone.keyboard.press("Enter")
    assert details.nth(2).evaluate("d => d.open")


def test_a_link_to_one_question_opens_it(phone, demo_live):
    """質問ごとのリンクで開くと、その質問の回答が開いて画面に見える"""
    goto(phone, demo_live, "/faq/")
    anchor = phone.locator("[data-faq-item]").last.get_attribute("id")
    goto(phone, demo_live, "/")
    goto(phone, demo_live, f"/faq/#{anchor}")  # from another page, as a link in a mail or a bookmark
    item = phone.locator(f"#{anchor}")
    assert item.locator("details").evaluate("d => d.open")
    assert item.locator(".faq-answer").is_visible()


def test_without_javascript_every_faq_answer_is_still_reachable(browser, demo_live):
    """JavaScript なしでも、どの質問も選べば回答が開く（一括の開閉ボタンは出ない）"""
    context = browser.new_context(locale="ja-JP", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    goto(page, demo_live, "/faq/")
    assert not page.get_by_role("button", name="すべての回答を開く").is_visible()
    summaries = page.locator("summary.faq-question")
    for index in range(summaries.count()):
        summaries.nth(index).click()
    assert page.locator("details.faq-details:not([open])").count() == 0
    assert page.locator(".faq-answer").last.is_visible()
    context.close()


@pytest.mark.parametrize(
    ("query", "form_heading"),
    [("?region=karamatsu", "地域名で試算する"), ("?population=1131&households=520", "人口と世帯数を入力して試算する")],
)
def test_the_estimate_result_comes_right_after_the_form_that_asked_for_it(phone, demo_live, query, form_heading):
    """一括交付金の試算結果は、それを求めたフォームのすぐ後にあり、内訳は1行に1項目で短い"""
    goto(phone, demo_live, "/grants/" + query)
    result = phone.locator("#estimate-result")
    before = result.evaluate("el => el.previousElementSibling.querySelector('h3').textContent")
    assert before == form_heading
    gap = result.evaluate(
        "el => el.getBoundingClientRect().top - el.previousElementSibling.getBoundingClientRect().bottom"
    )
    assert 0 <= gap <= 24
    table = result.locator("table.estimate-table")
    rows = table.locator("tbody tr")
    assert rows.count() >= 3
    row_heights = rows.evaluate_all("rows => rows.map(r => r.getBoundingClientRect().height)")
    assert max(row_heights) <= 60  # a line or two each: the item, its basis after it, the amount beside
    # Before, each line stacked its label, basis and amount: a screen and a half for 唐松's 11 lines.
    assert table.evaluate("el => el.getBoundingClientRect().height") <= PHONE["height"] * 0.7


# In ふりがな mode: kanji of one word whose <ruby> elements touch, and the gap between the letters of
# two touching ruby bases (a reading wider than its kanji used to push the next kanji away: 旧 市 町).
RUBY_GAPS = """() => {
  const gaps = [];
  for (const ruby of document.querySelectorAll('body ruby')) {
    const next = ruby.nextSibling;
    if (!next || next.nodeType !== 1 || next.tagName !== 'RUBY') continue;
    const range = document.createRange();
    range.selectNodeContents(ruby.firstChild);
    const left = range.getBoundingClientRect();
    range.selectNodeContents(next.firstChild);
    const right = range.getBoundingClientRect();
    const gap = right.left - left.right;
    if (Math.abs(right.top - left.top) < 2 && gap > 1) {
      gaps.push(ruby.firstChild.textContent + '|' + next.firstChild.textContent + ' ' + Math.round(gap) + 'px');
    }
  }
  return gaps;
}"""
WORD_BASES = """(words) => words.filter(
  w => Array.from(document.querySelectorAll('ruby')).some(r => r.firstChild.textContent.includes(w)))"""


def test_in_furigana_mode_no_gap_opens_inside_a_word(phone, demo_live):
    """ふりがな表示で、語の途中に隙間が空かない（旧市町・地域共生社会は一つの語として読みが付く）"""
    phone.context.add_cookies([{"name": "portal_ruby", "value": "on", "url": demo_live.url + "/"}])
    found = {}
    for path in ["/", "/about/", "/regions/", "/faq/", "/grants/?region=karamatsu", "/liaisons/"]:
        goto(phone, demo_live, path)
        if gaps := phone.evaluate(RUBY_GAPS):
            found[path] = gaps
    assert found == {}
    goto(phone, demo_live, "/")
    assert phone.evaluate(WORD_BASES, ["旧市町", "地域共生社会"]) == ["旧市町", "地域共生社会"]
