"""Issue 20, item 4: `manage.py warm_pages` fills the page cache, so residents meet warm pages after a deploy."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from organizations.models import CaseStudy, Organization
from organizations.public import public_areas
from tests.helpers import Client

pytestmark = pytest.mark.django_db


def test_after_the_warm_up_every_public_page_is_a_hit(demo):
    out = StringIO()
    call_command("warm_pages", host="testserver", stdout=out)
    text = out.getvalue()
    areas, organizations = public_areas().count(), Organization.objects.published().count()
    cases = CaseStudy.objects.public().count()
    # The fixed pages and lists, then one page per object; each plain and with ふりがな.
    total = 2 * (11 + areas + organizations + cases)
    assert f"1/{total} ページ /" in text
    assert f"{total}/{total} ページ" in text and f"{total} ページを" in text and "失敗 0 件" in text
    visitor = Client()
    urls = ["/", "/regions/", "/regions/karamatsu/", "/organizations/kumano-mirai/", "/faq/", "/cases/",
            "/liaisons/", "/schedule/", "/grants/", "/open-data/", "/about/"]  # fmt: skip
    for url in urls:
        response = visitor.get(url, secure=True)  # the key holds the scheme: warmed as https
        assert (response.status_code, response["X-Page-Cache"]) == (200, "hit"), url
    # Pages nobody warmed are still rendered on demand.
    assert visitor.get("/faq/?q=交付金", secure=True)["X-Page-Cache"] == "miss"


def test_the_ruby_pages_by_default_and_pdfs_on_request(demo, settings):
    out = StringIO()
    call_command("warm_pages", host="testserver", http=True, pdfs=True, stdout=out)
    assert "失敗 0 件" in out.getvalue()
    visitor = Client()
    visitor.cookies["portal_ruby"] = "on"
    assert visitor.get("/faq/")["X-Page-Cache"] == "hit"
    for url in ("/organizations/kumano-mirai/plan.pdf", "/liaisons/roster.pdf", "/faq/"):
        assert Client().get(url)["X-Page-Cache"] == "hit", url


def test_refused_when_the_page_cache_is_off(demo, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    with pytest.raises(CommandError, match="無効"):
        call_command("warm_pages", stdout=StringIO())
