import pytest

from niimi_portal.lib.markdown import markdown_plain, render_markdown


def test_links_lists_emphasis_and_headings_are_kept():
    html = render_markdown(
        "## 手引き\n\n[市のページ](https://www.city.niimi.okayama.jp/) を *ご覧ください*。\n\n- 一\n- 二"
    )
    assert "<h3>手引き</h3>" in html
    assert '<a href="https://www.city.niimi.okayama.jp/" rel="noopener noreferrer">市のページ</a>' in html
    assert "<em>ご覧ください</em>" in html
    assert "<ul>\n<li>一</li>" in html


def test_html_typed_by_a_clerk_comes_out_as_text():
    html = render_markdown("<script>alert(1)</script><b onclick=x>太字</b>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "onclick" not in html.replace("onclick=x&gt;", "")


def test_unsafe_link_schemes_and_attributes_are_dropped():
    html = render_markdown('[x](javascript:alert(1)) [y](https://example.jp "t")')
    assert 'href="javascript' not in html
    assert "title=" not in html


def test_a_top_level_heading_becomes_a_section_heading_and_empty_text_is_empty():
    assert render_markdown("# 見出し") == "<h2>見出し</h2>"
    assert render_markdown("") == ""
    assert markdown_plain("**強調** と [リンク](/faq/)") == "強調 と リンク"


# Issue 32, item 6: a link is to this site (a path) or to an http(s), mailto or tel address; a path that a
# browser reads as another host (`//host`, `/\host`, `\\host`) is not a path on this site.
OFF_SITE_PATHS = [
    "//evil.example/",
    "<//evil.example/>",
    " //evil.example/",
    "&#47;/evil.example/",
    "/\\evil.example/",
    "\\\\\\\\evil.example/",  # \\evil.example/ once Markdown has read its escapes
    "/%5Cevil.example/",
    "%2F%2Fevil.example/",
]


@pytest.mark.parametrize("href", OFF_SITE_PATHS)
def test_a_path_that_leads_to_another_host_loses_its_link(href):
    html = render_markdown(f"[x]({href}) と [参照][r]\n\n[r]: {href}")
    assert "href" not in html, html
    assert "evil.example" not in html
    assert ">x</a>" in html and ">参照</a>" in html  # the words stay


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>"])
def test_script_and_data_links_are_never_links(href):
    html = render_markdown(f"[x]({href}) [y](<{href}>)")
    assert "href" not in html, html


@pytest.mark.parametrize(
    ("href", "kept"),
    [
        ("/faq/", "/faq/"),
        ("/documents/#category-link", "/documents/#category-link"),
        ("#top", "#top"),
        ("?page=2", "?page=2"),
        ("https://www.city.niimi.okayama.jp/", "https://www.city.niimi.okayama.jp/"),
        ("mailto:kyodo@city.niimi.okayama.jp", "mailto:kyodo@city.niimi.okayama.jp"),
        ("tel:0867-72-6111", "tel:0867-72-6111"),
    ],
)
def test_site_paths_and_allowed_schemes_stay_links(href, kept):
    assert f'href="{kept}"' in render_markdown(f"[x]({href})")
