"""The shared cache as an accelerator: when it fails, the portal gets slower, never broken.

Every use of Django's cache by the portal goes through this module. A cache that does not answer
(Redis stopped, unreachable, or slower than CACHE_SOCKET_TIMEOUT; a file cache whose folder cannot be
written) raises from Django's backends; here the error is caught, logged at most once per
CACHE_FAILURE_LOG_SECONDS, and the cache is left alone for CACHE_RETRY_SECONDS, so that a dead or slow
server costs one timeout per worker and interval instead of one per call. The next call after that
tries again: when the server is back, the cache is used again with nothing to restart.

Two ways to call it:

- `attempt(operation, ...)` raises `CacheUnavailable` when the cache cannot answer, for a caller that
  must know (the page cache must neither serve nor store a page when it cannot read the tag versions,
  niimi_portal/caching.py);
- `quietly(operation, ..., default=...)` answers `default` instead, for a value that can be computed
  again (the ふりがな names table, readings, PDF sizes).

`local` is a per-process memory cache for what is safe to keep per process while the shared cache is
down: values addressed by their content (PDF sizes) and the PDF throttle's counters.

Why not django-redis with IGNORE_EXCEPTIONS: it hides a failure as a miss, so the page cache could not
tell "no version" from "cannot read the version", it adds a dependency, and it does not cover the file
cache, which needs the same treatment. Django's own RedisCache takes the short socket timeouts
(settings CACHES OPTIONS); this module only decides what a failure means.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import RedisError

logger = logging.getLogger("niimi_portal.cache")

# What Django's cache backends raise when their store fails: redis-py's errors (connection refused,
# timeout) and the operating system's (a file cache folder that cannot be created or written).
FAILURES = (RedisError, OSError)

local = LocMemCache("niimi-portal-local", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


class CacheUnavailable(Exception):
    """The shared cache did not answer (or was left alone after a recent failure)."""


class _State:
    lock = threading.Lock()
    down_until = 0.0  # monotonic time before which the cache is not tried again
    logged_at = None  # monotonic time of the last log line


def reset():
    """Forget any failure: the next call tries the cache (for tests, and after changing CACHES)."""
    with _State.lock:
        _State.down_until = 0.0
        _State.logged_at = None


def available():
    """Whether the cache is tried at all now (False for CACHE_RETRY_SECONDS after a failure)."""
    return time.monotonic() >= _State.down_until


def _failed(error):
    now = time.monotonic()
    with _State.lock:
        _State.down_until = now + settings.CACHE_RETRY_SECONDS
        due = _State.logged_at is None or now - _State.logged_at >= settings.CACHE_FAILURE_LOG_SECONDS
        if due:
            _State.logged_at = now
    if due:
        logger.warning(
            "共有キャッシュが使えません。キャッシュなしで表示を続けます（%s 秒ごとに再接続を試みます）: %r",
            settings.CACHE_RETRY_SECONDS,
            error,
        )


def attempt(operation, *args, **kwargs):
    """`operation(*args, **kwargs)` on the default cache (a method name: "get", "set_many"…);
    raises CacheUnavailable when the cache fails or failed less than CACHE_RETRY_SECONDS ago."""
    if not available():
        raise CacheUnavailable
    try:
        return getattr(cache, operation)(*args, **kwargs)
    except FAILURES as error:
        _failed(error)
        raise CacheUnavailable from error


def quietly(operation, *args, default=None, **kwargs):
    """As `attempt`, answering `default` when the cache cannot answer."""
    try:
        return attempt(operation, *args, **kwargs)
    except CacheUnavailable:
        return default


def locally(operation, *args, **kwargs):
    """`operation(*args, **kwargs)` on this process's `local` cache, called as `attempt` is."""
    return getattr(local, operation)(*args, **kwargs)
