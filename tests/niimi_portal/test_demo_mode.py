"""Demo mode (issue 31, item 1): with DEMO_MODE on, every public page and PDF carries the banner and the
contact is an example; with it off, no page says デモ or 架空; the city's own Q&A and 市報 never carry a
demo label in either mode."""

import re

import pytest
from django.core.cache import cache
from django.test import override_settings

from library.models import LibraryDocument
from niimi_portal.lib import furigana
from niimi_portal.lib.demo_mode import BANNER_TEXT, EXAMPLE_CONTACT
from organizations.models import CaseStudy, Region
from organizations.public import public_organizations
from tests.e2e.public.conftest import PUBLIC_PAGES
from tests.grants.pdf import pdf_text

pytestmark = pytest.mark.django_db

REAL_PHONE = "0867-72-6143"
DEMO_WORDS = re.compile("デモ|架空")
BANNER = 'class="demo-banner"'
SOURCE = re.compile(r'<p class="small mb-1 faq-source">(.*?)</p>', re.S)


@pytest.fixture(autouse=True)
def empty_cache():
    """The page cache keys do not hold the mode (a setting, fixed for a process): each test starts empty."""
    cache.clear()
    furigana.forget_readings()
    yield
    cache.clear()
    furigana.forget_readings()


def every_public_page():
    """The fixed list of public pages, and every region, organization and case page of the demo."""
    details = [
        *(r.get_absolute_url() for r in Region.objects.all()),
        *(o.get_absolute_url() for o in public_organizations()),
        *(c.get_absolute_url() for c in CaseStudy.objects.public()),
    ]
    return list(dict.fromkeys([*PUBLIC_PAGES, *details]))


def crawl(client):
    """Each public page's HTML, by path (the 404 page included)."""
    pages = {}
    for path in every_public_page():
        response = client.get(path)
        assert response.status_code == (404 if path == "/no-such-page/" else 200), path
        pages[path] = response.content.decode()
    return pages


def test_with_the_mode_on_every_public_page_shows_the_banner_and_an_example_contact(module_demo, client):
    with override_settings(DEMO_MODE=True):
        pages = crawl(client)
    assert len(pages) > len(PUBLIC_PAGES)
    for path, html in pages.items():
        assert BANNER in html and BANNER_TEXT in html, path
        assert REAL_PHONE not in html, path
        assert EXAMPLE_CONTACT["CONTACT_PHONE"] in html and "表示例" in html, path
        assert "&copy; 新見市" not in html, path


def test_with_the_mode_off_no_public_page_says_demo_or_invented(module_demo, client):
    pages = crawl(client)
    found = {
        path: [html[max(0, m.start() - 60) : m.end() + 20] for m in DEMO_WORDS.finditer(html)]
        for path, html in pages.items()
    }
    assert not {path: hits for path, hits in found.items() if hits}
    assert not [path for path, html in pages.items() if BANNER in html]
    assert REAL_PHONE in pages["/"] and "&copy; 新見市" in pages["/"]


@pytest.mark.parametrize("demo_mode", [True, False], ids=["mode-on", "mode-off"])
def test_the_faq_sources_never_carry_a_demo_label(module_demo, client, demo_mode):
    with override_settings(DEMO_MODE=demo_mode):
        html = client.get("/faq/").content.decode()
    sources = [source for source in SOURCE.findall(html) if "出典" in source]
    assert len(sources) >= 8 and all("新見市のQ&amp;A（Q" in source for source in sources)
    for source in sources:
        assert not DEMO_WORDS.search(source), source


@pytest.mark.parametrize("demo_mode", [True, False], ids=["mode-on", "mode-off"])
def test_the_city_publications_are_never_labelled_demo(module_demo, client, demo_mode):
    koho = LibraryDocument.objects.filter(title__startswith="市報にいみ")
    assert koho.count() == 2 and not koho.filter(is_demo=True).exists()
    with override_settings(DEMO_MODE=demo_mode):
        html = client.get("/documents/").content.decode()
    for document in koho:
        row = html[html.index(document.title) :]
        row = row[: row.index("</li>")]
        assert not DEMO_WORDS.search(row), row


@pytest.mark.parametrize("path", ["/", "/organizations/", "/regions/", "/regions/osa-school/", "/schedule/"])
def test_invented_organizations_and_events_are_labelled_in_lists_with_the_mode_on(module_demo, client, path):
    with override_settings(DEMO_MODE=True):
        html = client.get(path).content.decode()
    assert "demo-badge" in html, path


def test_each_invented_organization_on_the_list_carries_the_label(module_demo, client):
    with override_settings(DEMO_MODE=True):
        html = client.get("/organizations/").content.decode()
    cards = re.findall(r'<h2 class="h4 card-title">(.*?)</h2>', html, re.S)
    assert cards
    for organization in public_organizations().filter(is_demo=True):
        card = next(card for card in cards if f">{organization.name}</a>" in card)
        assert "demo-badge" in card, organization.name


@pytest.mark.parametrize("path", ["/liaisons/roster.pdf", "/organizations/kumano-mirai/plan.pdf"])
def test_a_pdf_carries_the_banner_only_with_the_mode_on(module_demo, client, path):
    def text():
        response = client.get(path)
        assert response.status_code == 200, path
        return pdf_text(b"".join(response.streaming_content) if response.streaming else response.content)

    with override_settings(DEMO_MODE=True):
        on = re.sub(r"\s+", "", text())
    cache.clear()
    off = re.sub(r"\s+", "", text())
    assert "デモ版" in on and "表示例" in on and REAL_PHONE not in on
    assert "デモ版" not in off and not DEMO_WORDS.search(off) and REAL_PHONE in off
