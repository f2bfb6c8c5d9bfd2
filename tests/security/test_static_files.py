"""Static files in production: hashed names (cache-busting), served compressed with a long cache, and a
public page with all its CSS and JS under 150 KB compressed."""

import gzip
import re
import urllib.request

import pytest

PAGE_BUDGET_BYTES = 150 * 1024


def fetch_raw(site, path, encoding="gzip"):
    request = urllib.request.Request(
        site.url + path, headers={"X-Forwarded-Proto": "https", "Accept-Encoding": encoding}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers, response.read()


@pytest.mark.parametrize("page", ["/", "/faq/", "/organizations/", "/regions/karamatsu/", "/grants/"])
def test_public_page_with_its_css_and_js_stays_under_150_kb_compressed(production_site, page):
    _, html = fetch_raw(production_site, page, encoding="identity")
    assets = re.findall(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"', html.decode())
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    total = len(gzip.compress(html))
    for asset in assets:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", asset), f"{asset} has no content hash"
        headers, body = fetch_raw(production_site, asset)
        assert headers["Content-Encoding"] == "gzip", asset
        assert "max-age=315360000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
        total += len(body)
    assert total < PAGE_BUDGET_BYTES, f"{page}: {total} bytes compressed"
