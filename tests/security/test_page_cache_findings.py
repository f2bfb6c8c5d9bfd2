"""Issue 14, findings 1, 4 and 6: the page cache on the file cache (production's default) and Redis.

Each test runs on both backends. Redis is the one at 127.0.0.1:6379 (database 9), under a key prefix of
this test's own so parallel runs do not meet; the file cache is a fresh folder.
"""

import secrets
import time

import pytest
import redis
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

from niimi_portal import caching
from niimi_portal.caching import GENERATION_KEY, PublicPageCacheMiddleware
from niimi_portal.lib import page_tags
from organizations.models import Organization
from tests.helpers import Client

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.fixture(params=["file", "redis"])
def backend(request, settings, tmp_path):
    if request.param == "file":
        folder = tmp_path / "cache"
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(folder)}
        }
        yield lambda: len(list(folder.glob("*.djcache")))
        return
    prefix = f"niimi-sec-{secrets.token_hex(6)}"
    redis_cache = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {"default": {"BACKEND": redis_cache, "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}}
    server = redis.Redis.from_url(REDIS_URL)
    yield lambda: sum(1 for _ in server.scan_iter(match=f"{prefix}:*"))
    keys = list(server.scan_iter(match=f"{prefix}:*"))
    if keys:
        server.delete(*keys)


def get(client, url, **extra):
    response = client.get(url, **extra)
    return response.status_code, response.get("X-Page-Cache"), response.content.decode("utf-8", "replace")


# --- Finding 1: a generation never repeats, invalidation on commit, no entries for meaningless queries ---


def test_a_lost_generation_does_not_bring_back_an_unpublished_page(backend, client, demo):
    """The file cache culls entries when full and Redis evicts under maxmemory: losing the generation must
    not make pages stored under an earlier one fresh again."""
    organization = Organization.objects.get(slug="karamatsu-machizukuri")
    url = organization.get_absolute_url()
    cache.delete(GENERATION_KEY)  # a fresh cache, as after a deployment
    assert get(client, url)[:2] == (200, "miss")
    assert get(client, url)[:2] == (200, "hit")
    organization.is_published = False
    organization.save()
    assert get(client, url)[0] == 404
    cache.delete(GENERATION_KEY)  # culled, evicted or expired
    assert get(client, url)[0] == 404


def test_the_generation_is_kept_without_a_timeout(backend, client, demo, monkeypatch):
    """On the file cache, incr() re-saved the generation with the 300 s default timeout."""
    get(client, "/faq/")
    Organization.objects.first().save()
    current = cache.get(GENERATION_KEY)
    later = time.time() + 30 * 24 * 3600
    monkeypatch.setattr("django.core.cache.backends.filebased.time.time", lambda: later)
    assert cache.get(GENERATION_KEY) == current


def test_each_invalidation_makes_a_generation_never_seen_before(backend, demo):
    seen = {caching.generation()}
    for _ in range(5):
        page_tags.renew_every_page()
        seen.add(cache.get(GENERATION_KEY))
        cache.delete(GENERATION_KEY)
        seen.add(caching.generation())
    assert len(seen) == 11


def test_a_page_rendered_before_the_change_commits_is_stale_after_it(
    backend, client, demo, rf, django_capture_on_commit_callbacks
):
    """Between the save (post_save) and the commit another worker still reads the old row; what it
    stores then must not outlive the commit."""
    organization = Organization.objects.get(slug="karamatsu-machizukuri")
    url = organization.get_absolute_url()
    _, _, old_page = get(client, url)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        organization.is_published = False
        organization.save()
        other_worker = PublicPageCacheMiddleware(lambda request: HttpResponse(old_page))
        other_worker(rf.get(url))
    assert get(client, url)[0] == 404


def test_query_strings_that_do_not_change_the_page_make_no_cache_entries(backend, client, demo):
    assert get(client, "/about/")[:2] == (200, "miss")
    entries = backend()
    for n in range(40):
        status, _, _ = get(client, f"/about/?flood={n}")
        assert status == 200
    assert backend() == entries
    # The meaningful parameters still get their own cached page.
    assert get(client, "/faq/?q=交付金")[:2] == (200, "miss")
    assert get(client, "/faq/?q=交付金")[:2] == (200, "hit")
    assert backend() > entries


# --- Finding 4: PDFs cached by their meaningful parameters, rendering throttled per client ---------


def test_a_pdf_is_not_rendered_again_for_an_extra_parameter(backend, client, demo, monkeypatch):
    from organizations import printouts

    renders = []
    real = printouts.roster_pdf
    monkeypatch.setattr(printouts, "roster_pdf", lambda **kw: renders.append(1) or real(**kw))
    for n in range(5):
        response = client.get(f"/liaisons/roster.pdf?x={n}&utm_source={n}")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert len(renders) == 1
    entries = backend()
    client.get("/organizations/kumano-mirai/plan.pdf?cachebuster=1")
    after_first = backend()  # the page, and the record of its size for the link (niimi_portal.lib.pdf.pdf_size)
    assert after_first > entries
    client.get("/organizations/kumano-mirai/plan.pdf?cachebuster=2")
    assert backend() == after_first  # another unread parameter makes no new entry


def test_pdf_rendering_is_throttled_per_client_address(backend, settings, demo):
    settings.PDF_RENDERS_PER_MINUTE = 2
    one, other = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="198.51.100.8")
    urls = [f"/organizations/{slug}/plan.pdf" for slug in Organization.objects.filter(is_published=True)
            .values_list("slug", flat=True)[:3]]  # fmt: skip
    assert [one.get(url).status_code for url in urls[:2]] == [200, 200]
    refused = one.get(urls[2])
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "しばらくしてから" in refused.content.decode()
    assert other.get(urls[2]).status_code == 200  # another client is not held back
    assert one.get(urls[0]).status_code == 200  # a PDF already rendered comes from the cache
    assert one.get(urls[2]).status_code == 200  # …and so does the one the other client had rendered


# --- Finding 6: the key holds the validated display choices and the scheme -----------------------


def test_a_crafted_display_cookie_cannot_poison_the_page_of_two_real_ones(backend, demo):
    attacker = Client()
    attacker.cookies["portal_ruby"] = "on&portal_text_size=large"
    _, _, poisoned = get(attacker, "/faq/")
    assert "ruby-on" not in poisoned
    resident = Client()
    resident.cookies["portal_ruby"] = "on"
    resident.cookies["portal_text_size"] = "large"
    status, _, page = get(resident, "/faq/")
    assert status == 200
    assert "text-large contrast-standard ruby-on" in page
    assert "<ruby>" in page


def test_an_unknown_display_cookie_value_shares_the_default_page(backend, client, demo):
    assert get(client, "/about/")[1] == "miss"
    client.cookies["portal_text_size"] = "huge"
    client.cookies["portal_unknown"] = secrets.token_hex(4)
    assert get(client, "/about/")[1] == "hit"


def test_a_page_with_absolute_links_is_kept_apart_for_http_and_https(backend, client, demo):
    _, _, plain = get(client, "/schedule/")
    assert "http:/<wbr>/<wbr>testserver/<wbr>schedule.<wbr>ics" in plain  # the address, breakable on a phone
    status, _, secure = get(client, "/schedule/", secure=True)
    assert status == 200
    assert "https:/<wbr>/<wbr>testserver/<wbr>schedule.<wbr>ics" in secure
