"""Issue 20, item 2: a page whose cached copy is stale, or not kept at all, is assembled from the parts
that did not change (niimi_portal/fragments.py): a part runs none of its queries while nothing it shows
has changed, is rendered again as soon as something it shows has, and is shared by every display choice."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from niimi_portal import fragments
from niimi_portal.context_processors import RUBY_COOKIE, TEXT_SIZE_COOKIE
from organizations.models import FAQ, Organization

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/regions/",
    "/regions/karamatsu/",
    "/organizations/",
    "/organizations/karamatsu-machizukuri/",
    "/faq/",
    "/cases/",
    "/liaisons/",
    "/grants/?region=karamatsu",
    "/search/?q=からまつ",
]


@pytest.fixture
def no_page_cache(settings):
    """Pages are rendered every time, as `make bench --no-page-cache` measures them."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)


def kept_parts():
    return [key for key in cache._cache if fragments.KEY_PREFIX in key]  # LocMemCache, as in the tests


@pytest.mark.parametrize("url", PAGES)
def test_a_page_rendered_again_runs_no_query_of_its_unchanged_parts(client, demo, no_page_cache, url):
    first, queries_first = get(client, url)
    second, queries_second = get(client, url)
    assert second == first
    assert queries_first > queries_second
    # What is left is at most the look-up that says 404 (an area's slug, an organization being published).
    assert queries_second <= 1


def test_an_edit_renders_again_the_pages_that_show_it_and_not_the_others(client, demo, no_page_cache):
    for url in ("/faq/", "/organizations/"):
        get(client, url)
    faq = FAQ.objects.filter(is_published=True).first()
    faq.answer += "（誤字を直しました）"
    faq.save()
    page, queries = get(client, "/faq/")
    assert "誤字を直しました" in page and queries >= 1  # the FAQ page's one query: a page of answers and their count
    assert get(client, "/organizations/")[1] == 0
    assert get(client, "/faq/")[1] == 0


def test_renaming_an_organization_shows_on_its_page_the_list_and_the_home_table(client, demo, no_page_cache):
    urls = ["/", "/organizations/", "/organizations/karamatsu-machizukuri/", "/regions/karamatsu/"]
    for url in urls:
        get(client, url)
    organization = Organization.objects.get(slug="karamatsu-machizukuri")
    organization.name = "唐松みらい協議会"
    organization.save()
    for url in urls[1:]:
        assert "唐松みらい協議会" in get(client, url)[0], url


def test_every_display_choice_shares_one_rendering_of_the_part(client, demo, no_page_cache):
    plain, _ = get(client, "/organizations/")
    large = Client()
    large.cookies[TEXT_SIZE_COOKIE] = "large"
    page, queries = get(large, "/organizations/")
    assert queries == 0 and "text-large" in page and "text-large" not in plain
    ruby = Client()
    ruby.cookies[RUBY_COOKIE] = "on"
    ruby.get("/about/")  # the table of names ふりがな reads, loaded once
    with CaptureQueriesContext(connection) as queries:
        page = ruby.get("/organizations/").content.decode()
    # ふりがな reads its names and stored readings, and never the organizations again.
    assert not [query for query in queries.captured_queries if "organizations_organization" in query["sql"]]
    assert "<ruby>" in page and "<ruby>" not in plain


def test_a_signed_in_member_of_staff_never_gets_or_leaves_a_kept_part(client, demo, no_page_cache):
    staff = Client()
    staff.force_login(User.objects.get(username="seisaku"))
    get(staff, "/faq/")
    assert kept_parts() == []
    get(client, "/faq/")  # kept for visitors
    assert kept_parts()
    assert get(staff, "/faq/")[1] >= 2  # staff still read the rows


def test_a_part_rendered_while_something_was_saved_is_not_kept(client, demo, no_page_cache, monkeypatch):
    build = fragments.lazy_context

    def saving_meanwhile(make, names, **eager):
        def make_and_save():
            FAQ.objects.filter(is_published=True).first().save()
            return make()

        return build(make_and_save, names, **eager)

    monkeypatch.setattr("organizations.views.lazy_context", saving_meanwhile)
    get(client, "/organizations/")
    assert kept_parts() == []


def test_a_part_holding_a_csrf_token_is_never_kept(rf):
    request = rf.get("/faq/")
    request.page_cache_any = "before"
    fragments.store(request, "portal:fragment:test", '<input name="csrfmiddlewaretoken" value="secret">')
    assert cache.get("portal:fragment:test") is None


def test_a_part_is_kept_for_one_day_only_since_it_may_read_the_date(client, demo, no_page_cache, monkeypatch):
    get(client, "/liaisons/")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(fragments.timezone, "localdate", lambda: tomorrow)
    assert get(client, "/liaisons/")[1] >= 2


def test_parts_are_off_when_their_lifetime_is_zero(client, demo, no_page_cache, settings):
    settings.PUBLIC_FRAGMENT_CACHE_SECONDS = 0
    get(client, "/faq/")
    assert get(client, "/faq/")[1] >= 1
    assert kept_parts() == []


def test_no_part_outlives_a_deploy(client, demo, no_page_cache, monkeypatch):
    get(client, "/faq/")
    assert get(client, "/faq/")[1] == 0
    monkeypatch.setattr(fragments, "release", lambda: "the next release")
    assert get(client, "/faq/")[1] >= 1


def test_the_release_changes_when_a_template_changes(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    template = tmp_path / "templates" / "page.html"
    template.parent.mkdir()
    template.write_text("<p>前の文</p>")
    fragments.release.cache_clear()
    try:
        before = fragments.release()
        fragments.release.cache_clear()
        assert fragments.release() == before  # the same files: the same release
        template.write_text("<p>新しい文です</p>")
        fragments.release.cache_clear()
        assert fragments.release() != before
    finally:
        fragments.release.cache_clear()


def test_a_ruby_page_is_written_once_then_read_back(client, demo, no_page_cache, monkeypatch):
    from niimi_portal.lib import furigana

    ruby = Client()
    ruby.cookies[RUBY_COOKIE] = "on"
    first = ruby.get("/faq/").content
    written = []
    original = furigana.page_with_ruby
    monkeypatch.setattr(furigana, "page_with_ruby", lambda *args: written.append(1) or original(*args))
    assert ruby.get("/faq/").content == first and written == []
    faq = FAQ.objects.filter(is_published=True).first()
    faq.question = "地域運営組織の会長はどのように選ばれますか（改訂）"
    faq.save()
    page = ruby.get("/faq/").content.decode()
    assert written == [1] and "改訂" in page


def test_a_pdfs_size_is_looked_up_by_what_the_page_shows_and_made_again_after_a_change(
    client, demo, settings, monkeypatch
):
    """The organization page states its PDF's size without rendering the printout on every view: the size is
    kept under the versions of what the page shows, so a change of the plan gives the new size at once."""
    from organizations import printouts
    from organizations.models import FuturePlan

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    settings.PUBLIC_FRAGMENT_CACHE_SECONDS = 0  # nothing of the page kept: only the size
    made = []
    original = printouts.plan_pdf_size
    monkeypatch.setattr(printouts, "plan_pdf_size", lambda summary: made.append(1) or original(summary))
    url = "/organizations/karamatsu-machizukuri/"
    first = client.get(url).content.decode()
    client.get(url)
    assert len(made) == 1
    plan = FuturePlan.objects.filter(organization__slug="karamatsu-machizukuri").first()
    plan.vision = plan.vision + "。" + "地域の皆で支え合い、次の世代へつなぐまちをつくります。" * 40
    plan.save()
    after = client.get(url).content.decode()
    assert len(made) == 2
    size = re.compile(r"地域の計画の概要（PDF、([^）]+)）")
    assert size.search(after)[1] != size.search(first)[1]
    client.get(url)
    assert len(made) == 2


def test_nothing_is_remembered_for_a_page_that_said_nothing_or_across_a_save(rf, db):
    request = rf.get("/")
    calls = []
    assert fragments.remembered(request, "x", lambda: calls.append(1) or 5, 60) == 5
    assert fragments.remembered(request, "x", lambda: calls.append(1) or 5, 60) == 5
    assert len(calls) == 2  # no shows(): made every time
    from niimi_portal.caching import shows
    from niimi_portal.invalidation import ANY, FAQ_PAGE, renew

    shows(request, FAQ_PAGE)

    def saving():
        renew([ANY])  # a save elsewhere while the value is made: the page's own versions stay
        calls.append(1)
        return 6

    assert fragments.remembered(request, "y", saving, 60) == 6
    assert fragments.remembered(request, "y", lambda: calls.append(1) or 7, 60) == 7  # the first was not kept
    assert fragments.remembered(request, "y", lambda: calls.append(1) or 8, 60) == 7  # the second was
