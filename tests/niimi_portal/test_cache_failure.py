"""Issue 36, item 1: a cache that fails costs speed, never the site (niimi_portal/lib/shared_cache.py).

The unreachable Redis is 127.0.0.1:1 (nothing listens there: connection refused at once); the reachable
one is 127.0.0.1:6379, database 12, under a key prefix of this test's own so parallel runs do not meet.
The unwritable file cache is a folder whose parent is a regular file (root ignores permissions, not that).
A cache that answers some calls and not others is FlakyCache below, a local-memory cache told which of
its operations fail.
"""

import contextlib
import logging
import secrets
import socket
import time

import pytest
import redis
from django.core.cache.backends.locmem import LocMemCache
from django.test import override_settings

from niimi_portal.lib import shared_cache
from organizations.models import FAQ
from tests.conftest import PASSWORD
from tests.helpers import Client

pytestmark = pytest.mark.django_db

REDIS = "django.core.cache.backends.redis.RedisCache"
UNREACHABLE = {"BACKEND": REDIS, "LOCATION": "redis://127.0.0.1:1/0", "OPTIONS": {"socket_connect_timeout": 0.2}}
REACHABLE_URL = "redis://127.0.0.1:6379/12"
LOGGER = "niimi_portal.cache"

PUBLIC_PAGES = [
    "/",
    "/about/",
    "/accessibility/",
    "/regions/",
    "/regions/karamatsu/",
    "/organizations/",
    "/organizations/karamatsu-machizukuri/",
    "/faq/",
    "/cases/",
    "/liaisons/",
    "/schedule/",
    "/grants/",
    "/documents/",
    "/open-data/",
    "/search/?q=からまつ",
]


class FlakyCache(LocMemCache):
    """A local-memory cache whose operations named in `failing` raise as a Redis that went away does."""

    failing = set()

    def get(self, *args, **kwargs):
        self._fail("get")
        return super().get(*args, **kwargs)

    def get_many(self, *args, **kwargs):
        self._fail("get_many")
        return super().get_many(*args, **kwargs)

    def set_many(self, *args, **kwargs):
        self._fail("set_many")
        return super().set_many(*args, **kwargs)

    def _fail(self, operation):
        if operation in self.failing:
            raise redis.ConnectionError("Connection refused (FlakyCache)")


@contextlib.contextmanager
def cache_settings(default, **more):
    """Use `default` as the cache (Django replaces its cache handler when CACHES changes), with no failure
    remembered from the cache before."""
    with override_settings(CACHES={"default": default}, **more):
        shared_cache.reset()
        yield
    shared_cache.reset()


@pytest.fixture
def reachable_redis():
    """The settings of Redis database 12 under a prefix of this test's own; its keys are deleted after."""
    prefix = f"niimi-fallback-{secrets.token_hex(6)}"
    server = redis.Redis.from_url(REACHABLE_URL)
    yield {"BACKEND": REDIS, "LOCATION": REACHABLE_URL, "KEY_PREFIX": prefix}
    keys = list(server.scan_iter(match=f"{prefix}:*"))
    if keys:
        server.delete(*keys)


@pytest.fixture
def flaky():
    FlakyCache.failing = set()
    yield {"BACKEND": f"{__name__}.FlakyCache", "LOCATION": f"flaky-{secrets.token_hex(4)}"}
    FlakyCache.failing = set()


def fetch(url):
    """A first-time anonymous visitor's request: a fresh client with no cookies."""
    return Client().get(url)


def cache_warnings(caplog):
    return [record for record in caplog.records if record.name == LOGGER and record.levelno == logging.WARNING]


def test_every_public_page_is_rendered_as_usual_while_redis_does_not_answer(demo, caplog):
    normal = {url: fetch(url).content for url in PUBLIC_PAGES}
    with cache_settings(UNREACHABLE):
        for url in PUBLIC_PAGES:
            response = fetch(url)
            assert response.status_code == 200, url
            assert response.content == normal[url], url
            assert "X-Page-Cache" not in response, url  # answered by the view, not from a cache
    assert len(cache_warnings(caplog)) == 1
    assert "共有キャッシュが使えません" in cache_warnings(caplog)[0].getMessage()


def test_the_failure_is_logged_once_per_interval_even_when_every_request_tries_again(demo, caplog):
    with cache_settings(UNREACHABLE, CACHE_RETRY_SECONDS=0, CACHE_FAILURE_LOG_SECONDS=60):
        for url in ["/", "/faq/", "/organizations/", "/faq/"]:
            assert fetch(url).status_code == 200
    assert len(cache_warnings(caplog)) == 1


def test_the_failure_is_logged_again_after_the_interval(demo, caplog):
    with cache_settings(UNREACHABLE, CACHE_RETRY_SECONDS=0, CACHE_FAILURE_LOG_SECONDS=0):
        for url in ["/", "/faq/"]:
            assert fetch(url).status_code == 200
    assert len(cache_warnings(caplog)) >= 2


@pytest.fixture
def silent_server():
    """A socket that takes connections and never answers: a Redis too slow to wait for."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.setblocking(False)
        yield server


def connections_made(server):
    """How many connections the silent server was sent (each waits in its queue, never answered)."""
    count = 0
    with contextlib.suppress(BlockingIOError):
        while True:
            server.accept()[0].close()
            count += 1
    return count


def test_a_slow_redis_costs_one_timeout_per_retry_interval_not_one_per_call(demo, silent_server):
    url = f"redis://127.0.0.1:{silent_server.getsockname()[1]}/0"
    slow = {"BACKEND": REDIS, "LOCATION": url, "OPTIONS": {"socket_timeout": 0.3}}
    with cache_settings(slow, CACHE_RETRY_SECONDS=60):
        started = time.monotonic()
        assert fetch("/faq/").status_code == 200
        assert time.monotonic() - started >= 0.3  # it waited for the timeout
        for url in ["/", "/faq/", "/organizations/"]:
            assert fetch(url).status_code == 200
    assert connections_made(silent_server) == 1  # and only once: the next pages did not ask


def test_signing_in_and_staff_pages_work_while_redis_does_not_answer(assigned_liaison):
    client = Client()
    with cache_settings(UNREACHABLE):
        response = client.post("/accounts/login/", {"username": "tanto1", "password": PASSWORD})
        assert response.status_code == 302
        response = client.get("/workspace/")
        assert response.status_code == 200
        assert response.wsgi_request.user.username == "tanto1"  # the session, kept in the database


def test_the_cache_is_used_again_by_itself_when_redis_comes_back(demo, reachable_redis):
    with cache_settings(UNREACHABLE, CACHE_RETRY_SECONDS=1):
        assert fetch("/faq/").status_code == 200
        # Redis comes back (here: the same settings name a Redis that answers), nothing is restarted.
        with override_settings(CACHES={"default": reachable_redis}):
            assert "X-Page-Cache" not in fetch("/faq/")  # still left alone within the retry interval
            time.sleep(1.1)
            assert fetch("/faq/")["X-Page-Cache"] == "miss"
            assert fetch("/faq/")["X-Page-Cache"] == "hit"


def test_a_file_cache_whose_folder_cannot_be_written_is_left_out(demo, tmp_path, caplog):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("not a folder")
    broken = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(not_a_folder / "c")}
    normal = {url: fetch(url).content for url in ["/", "/faq/", "/organizations/"]}
    with cache_settings(broken):
        for url, content in normal.items():
            response = fetch(url)
            assert response.status_code == 200, url
            assert response.content == content, url
    assert len(cache_warnings(caplog)) == 1


def test_a_writable_file_cache_keeps_pages(demo, tmp_path):
    working = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path / "c")}
    with cache_settings(working):
        assert fetch("/faq/")["X-Page-Cache"] == "miss"
        assert fetch("/faq/")["X-Page-Cache"] == "hit"


def test_a_stored_page_is_not_served_when_the_tag_versions_cannot_be_read(demo, flaky):
    faq = FAQ.objects.published().first()
    with cache_settings(flaky):
        assert fetch("/faq/")["X-Page-Cache"] == "miss"
        assert fetch("/faq/")["X-Page-Cache"] == "hit"
        # A change that sends no signal: only the view can show it, a stored page would not.
        FAQ.objects.filter(pk=faq.pk).update(question="大雨の日も読める質問ですか")
        FlakyCache.failing = {"get_many"}
        response = fetch("/faq/")
        assert response.status_code == 200
        assert "大雨の日も読める質問ですか" in response.content.decode()
        assert "X-Page-Cache" not in response


def test_a_page_is_not_stored_when_the_tag_versions_cannot_be_read(demo, flaky):
    with cache_settings(flaky, CACHE_RETRY_SECONDS=0):
        FlakyCache.failing = {"get_many"}
        assert fetch("/faq/").status_code == 200
        FlakyCache.failing = set()
        assert fetch("/faq/")["X-Page-Cache"] == "miss"  # nothing was kept


def test_a_save_the_cache_missed_makes_the_stored_pages_stale_when_it_answers_again(demo, flaky):
    faq = FAQ.objects.published().first()
    with cache_settings(flaky, CACHE_RETRY_SECONDS=0):
        assert fetch("/faq/")["X-Page-Cache"] == "miss"
        assert fetch("/faq/")["X-Page-Cache"] == "hit"
        FlakyCache.failing = {"set_many"}  # the renewal of the tags fails
        faq.question = "避難所はどこですか（更新）"
        faq.save()
        FlakyCache.failing = set()
        response = fetch("/faq/")
        assert response["X-Page-Cache"] == "miss"
        assert "避難所はどこですか（更新）" in response.content.decode()


def test_the_pdf_limit_still_holds_per_process_while_redis_does_not_answer(demo):
    with cache_settings(UNREACHABLE, PDF_RENDERS_PER_MINUTE=1):
        assert fetch("/liaisons/roster.pdf").status_code == 200
        response = fetch("/liaisons/roster.pdf")
        assert response.status_code == 429
        assert "Retry-After" in response
