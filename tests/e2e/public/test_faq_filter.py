"""The FAQ filter box: narrows as you type with JavaScript, and is a plain form without it."""

from tests.e2e.public.conftest import goto

VISIBLE_QUESTIONS = "Array.from(document.querySelectorAll('[data-faq-item]')).filter(el => !el.hidden).length"


def test_faq_filter_narrows_the_questions_as_you_type(page, demo_live):
    """よくある質問の絞り込み欄に入力すると、その言葉を含む質問だけが残る"""
    goto(page, demo_live, "/faq/")
    total = page.evaluate(VISIBLE_QUESTIONS)
    page.get_by_label("質問を絞り込む").fill("交付金")
    shown = page.evaluate(VISIBLE_QUESTIONS)
    assert 0 < shown < total
    assert "「交付金」を含む質問" in page.locator("[data-faq-count]").inner_text()
    assert page.locator("#category-liaison").is_hidden()
    page.get_by_label("質問を絞り込む").fill("あいうえおかきくけこ")
    assert page.evaluate(VISIBLE_QUESTIONS) == 0
    assert page.locator("[data-faq-empty]").is_visible()
    page.get_by_label("質問を絞り込む").fill("")
    assert page.evaluate(VISIBLE_QUESTIONS) == total


def test_faq_filter_works_without_javascript(browser, demo_live):
    """JavaScript が無くても、よくある質問の絞り込みは送信ボタンで使える"""
    context = browser.new_context(locale="ja-JP", java_script_enabled=False)
    page = context.new_page()
    goto(page, demo_live, "/faq/")
    page.get_by_label("質問を絞り込む").fill("交付金")
    page.keyboard.press("Enter")
    page.wait_for_url("**/faq/?q=*")
    assert "一括交付金は何に使えるのですか？" in page.content()
    assert "地域担当職員は何をしてくれるのですか？" not in page.content()
    context.close()


def test_each_question_link_lands_on_its_question(page, demo_live):
    """質問ごとのリンクで、その質問が開いた状態で画面に表示される"""
    goto(page, demo_live, "/faq/")
    href = page.locator(".faq-permalink").last.get_attribute("href")  # in the answer, closed at first
    target = href.split("#")[1]
    goto(page, demo_live, "/")  # the link followed from elsewhere (a mail, a bookmark)
    page.goto(href if href.startswith("http") else demo_live.url + href)
    top = f"document.getElementById('{target}').getBoundingClientRect().top"
    assert page.locator(f"#{target} details").evaluate("d => d.open")
    # The page scrolls smoothly (Bootstrap sets scroll-behavior: smooth unless reduced motion is asked):
    # wait for the question to arrive on the screen.
    # (Polled with page.evaluate: wait_for_function evaluates a string, which the pages' CSP forbids.)
    for _ in range(50):
        if 0 <= page.evaluate(top) < page.evaluate("window.innerHeight"):
            break
        page.wait_for_timeout(100)
    assert 0 <= page.evaluate(top) < page.evaluate("window.innerHeight")
