"""A resident's walk through the whole portal: every link from the home page answers, and every page
keeps the portal's rules (one h1, a unique title of the right form, no duplicate ids, labelled fields)."""

from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from tests.helpers import Client
from tests.organizations.pages.html_checks import parse, problems

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("/admin/", "/static/", "/media-private/")
MAX_PAGES = 600

# Pages reached through forms rather than links.
FORM_RESULTS = [
    "/search/?q=からまつ",
    "/search/?q=唐松",
    "/search/?q=の&kind=faq",
    "/regions/find/?q=いく",
    "/regions/find/?q=存在しない地名",
    "/faq/?q=交付金",
    "/grants/?region=karamatsu",
    "/grants/?population=1234&households=517",
    "/grants/?population=-5&households=",
    "/organizations/?stage=2",
    "/no-such-page/",
]


def crawl(client, start="/"):
    """Breadth-first over internal links; returns {url: (status, parsed page)} and [(from, link)]."""
    pages, links, queue = {}, [], deque([start])
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if url in pages:
            continue
        response = client.get(url)
        page = parse(response.content.decode()) if response.get("Content-Type", "").startswith("text/html") else None
        pages[url] = (response.status_code, page)
        if page is None:
            continue
        for href in page.links:
            absolute = urljoin(url, href)
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "") or (parts.netloc and parts.netloc != "testserver"):
                continue
            target = absolute.replace("http://testserver", "")
            links.append((url, target))
            path, _fragment = urldefrag(target)
            if not path.startswith(SKIP_PREFIXES) and path not in pages:
                queue.append(path)
    return pages, links


@pytest.fixture(scope="module")
def crawled(module_demo, django_db_blocker):
    with django_db_blocker.unblock():
        return crawl(Client(enforce_csrf_checks=True))


def test_every_internal_link_from_home_answers(crawled):
    pages, links = crawled
    assert len(pages) > 50  # the walk really went through the portal
    broken = [(source, target) for source, target in links if pages.get(urldefrag(target)[0], (200,))[0] != 200]
    assert broken == []
    assert len(pages) < 600, "the crawl hit its limit: some pages may be unchecked"


def test_every_link_to_a_place_in_a_page_finds_it(crawled):
    pages, links = crawled
    missing = []
    for source, target in links:
        path, fragment = urldefrag(target)
        page = pages.get(path, (None, None))[1]
        if fragment and page is not None and fragment not in page.ids:
            missing.append((source, target))
    assert missing == []


def test_every_crawled_page_keeps_the_page_rules(crawled):
    pages, _ = crawled
    found = {url: problems(page) for url, (status, page) in pages.items() if page is not None}
    assert {url: p for url, p in found.items() if p} == {}


def test_every_crawled_page_has_its_own_title(crawled):
    pages, _ = crawled
    seen = {}
    for url, (_, page) in pages.items():
        if page is not None:
            seen.setdefault(page.title, []).append(url)
    assert {title: urls for title, urls in seen.items() if len(urls) > 1} == {}


def test_pages_behind_forms_keep_the_page_rules(module_demo):
    client = Client()
    found = {}
    for url in FORM_RESULTS:
        response = client.get(url)
        assert response.status_code == (404 if url == "/no-such-page/" else 200), url
        found[url] = problems(parse(response.content.decode()))
    assert {url: p for url, p in found.items() if p} == {}
