"""The city-site pages (issue 31, item 7) in real Chromium: お知らせ, a notice, プライバシーポリシー, 免責事項 and
the サイトマップ pass axe-core's WCAG A/AA rules, do not scroll sideways on a 320 px phone, and their links and the
contact block's links are tap targets of at least 44 px."""

import pytest

from organizations.models import Notice
from tests.e2e.public.conftest import DISPLAYS, axe_check, goto, use_display


def city_pages():
    return ["/", "/notices/", Notice.objects.published().first().get_absolute_url(), "/privacy/", "/disclaimer/",
            "/sitemap/"]  # fmt: skip


SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
  '.notice-item a, .sitemap-list a, .footer-links a, .contact-links a')).filter(a => {
  const box = a.getBoundingClientRect();
  return box.width > 0 && box.height < 44;
}).map(a => a.textContent.trim())"""


@pytest.mark.parametrize("display", ["standard", "large-text-high-contrast", "furigana"])
def test_the_city_pages_have_no_axe_violations(page, axe, demo_live, accessibility_report, display):
    """お知らせ・プライバシーポリシー・免責事項・サイトマップのページに axe-core の違反がない"""
    if display != "standard":
        use_display(page, demo_live, DISPLAYS[display])
    found = {}
    for path in city_pages():
        goto(page, demo_live, path)
        violations = axe_check(axe, page, accessibility_report, path)
        if violations:
            found[path] = violations
    assert found == {}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="ja-JP", viewport={"width": 320, "height": 640})
    yield context.new_page()
    context.close()


def test_the_city_pages_fit_a_phone_and_their_links_are_large_enough_to_tap(phone, demo_live):
    """お知らせ・サイトマップなどのページが幅320pxで横スクロールせず、リンクが44px以上の高さを持つ"""
    problems = {}
    for path in city_pages():
        response = goto(phone, demo_live, path)
        assert response.status == 200, path
        found = []
        if phone.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            found.append("横スクロール")
        found += phone.evaluate(SMALL_TARGETS)
        if found:
            problems[path] = found
    assert problems == {}
