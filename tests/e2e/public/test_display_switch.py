"""文字サイズ and 背景色: chosen with the keyboard, remembered across pages, with or without JavaScript."""

import pytest

from tests.e2e.public.conftest import PUBLIC_PAGES, goto

ROOT_FONT = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
BODY_COLORS = "[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]"


def test_text_size_and_contrast_switch_and_are_remembered(switch_page, demo_live):
    """文字サイズ（標準・大）と背景色（標準・黒地に黄色）を切り替えられ、次のページでも保たれる"""
    page = switch_page
    goto(page, demo_live, "/faq/")
    standard_size = page.evaluate(ROOT_FONT)
    large = page.get_by_role("button", name="大きな文字")
    assert large.get_attribute("aria-pressed") == "false"
    large.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate(ROOT_FONT) == pytest.approx(standard_size * 1.25)
    assert large.get_attribute("aria-pressed") == "true"

    high = page.get_by_role("button", name="黒地に黄色")
    high.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate(BODY_COLORS) == ["rgb(0, 0, 0)", "rgb(255, 255, 0)"]
    assert high.get_attribute("aria-pressed") == "true"

    goto(page, demo_live, "/regions/")  # another page, later: the choice is remembered
    assert page.evaluate(ROOT_FONT) == pytest.approx(standard_size * 1.25)
    assert page.evaluate(BODY_COLORS) == ["rgb(0, 0, 0)", "rgb(255, 255, 0)"]

    with page.expect_navigation():  # each toggle pressed again goes back to the standard display
        high.click()
    with page.expect_navigation():
        large.click()
    assert page.evaluate(ROOT_FONT) == pytest.approx(standard_size)
    assert page.evaluate(BODY_COLORS)[0] == "rgb(255, 255, 255)"
    assert large.get_attribute("aria-pressed") == "false" and high.get_attribute("aria-pressed") == "false"


def test_no_page_raises_a_javascript_error(page, demo_live):
    """どの公開ページでも JavaScript のエラーが起きない"""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    for path in PUBLIC_PAGES:
        if path == "/no-such-page/":
            continue  # the browser logs the 404 status itself as a console error
        goto(page, demo_live, path)
    assert errors == []
