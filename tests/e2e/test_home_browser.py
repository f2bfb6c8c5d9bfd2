from tests.e2e.conftest import axe_violations


def test_home_has_no_axe_violations_and_the_skip_link_works(page, axe, demo_live):
    page.goto(demo_live.url + "/")
    assert page.locator("h1").count() == 1
    assert axe_violations(axe, page) == []
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_home_does_not_scroll_sideways_on_a_narrow_phone(browser, demo_live):
    context = browser.new_context(locale="ja-JP", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(demo_live.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
