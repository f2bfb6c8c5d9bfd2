import pytest

from tests.e2e.public.conftest import DISPLAYS, PUBLIC_PAGES, axe_check, goto, use_display


@pytest.mark.parametrize("display", ["standard", "large-text-high-contrast", "furigana"])
def test_every_public_page_has_no_axe_violations(page, axe, demo_live, accessibility_report, display):
    """axe-core で WCAG 2.0/2.1 の A・AA の規則に違反がない（全公開ページ）"""
    if display != "standard":
        use_display(page, demo_live, DISPLAYS[display])
    found = {}
    for path in PUBLIC_PAGES:
        goto(page, demo_live, path)
        violations = axe_check(axe, page, accessibility_report, path)
        if violations:
            found[path] = violations
    assert found == {}


def test_the_axe_check_does_find_a_violation_when_there_is_one(page, axe, demo_live, accessibility_report):
    """axe-core の試験が違反を実際に検出できる（試験そのものの確認）"""
    goto(page, demo_live, "/about/")
    page.evaluate("document.querySelector('main').append(Object.assign(document.createElement('img'), {src: 'x.png'}))")
    page.evaluate("document.querySelector('h1').style.color = '#eee'")
    found = " ".join(axe_check(axe, page, accessibility_report))  # not a real page: not in the report
    assert "image-alt" in found
    assert "color-contrast" in found
