"""The page-rule checker used by the crawl catches what it claims to catch."""

from tests.organizations.pages.html_checks import parse, problems

GOOD = """<!doctype html><html lang="ja"><head><title>地域の一覧 | 新見市 小規模多機能自治ポータル</title></head>
<body><h1>地域</h1><label for="q">言葉</label><input id="q" name="q"><input type="hidden" name="next">
<label>年度 <select name="year"></select></label><input type="search" aria-label="検索">
<a href="/x/">x</a></body></html>"""


def test_a_good_page_has_no_problems():
    page = parse(GOOD)
    assert problems(page) == []
    assert page.links == ["/x/"]


def test_each_broken_rule_is_named():
    bad = (
        GOOD.replace('lang="ja"', 'lang="en"')
        .replace("<h1>地域</h1>", "<h1>a</h1><h1>b</h1>")
        .replace("地域の一覧 | ", "")
        .replace('<label for="q">言葉</label>', '<span id="q2"></span><span id="q2"></span>')
    )
    found = " / ".join(problems(parse(bad)))
    for expected in (
        '<html lang="en">',
        "h1 が 2 個",
        "title の形が違う",
        "重複した id: ['q2']",
        "ラベルのない入力欄: ['input#q']",
    ):
        assert expected in found
