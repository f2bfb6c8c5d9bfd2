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
