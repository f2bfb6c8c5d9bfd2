"""A limit on costly work per client address: at most `limit` times in each window of `seconds`.

The counts live in Django's cache (Redis, or the file cache shared by one machine's workers), one
counter per address and window. Over the limit, the visitor gets a page in Japanese with status 429
and `Retry-After`, and the work is not done.

When the shared cache does not answer (niimi_portal/lib/shared_cache.py), the limit still holds, counted
by each worker process in its own memory: a deliberate choice between failing open (anyone could
render PDFs without end while Redis is down, the very load the limit protects the server from) and
failing closed (no resident could print a roster): a client may then get up to the limit once per
worker process.
"""

import functools
import time

from django.shortcuts import render

from niimi_portal.lib.client import client_address
from niimi_portal.lib.shared_cache import CacheUnavailable, attempt, locally


def allowed(request, scope, limit, seconds):
    """Count one more time for this client; False when it is over `limit` in the current window."""
    window = int(time.time() // seconds)
    key = f"throttle:{scope}:{window}:{client_address(request)}"
    try:
        count = counted(attempt, key, seconds)
    except CacheUnavailable:
        count = counted(locally, key, seconds)
    return count <= limit


def counted(call, key, seconds):
    """One more for `key`, through `call(operation, ...)` on a cache; the new count."""
    call("add", key, 0, timeout=seconds * 2)
    try:
        return call("incr", key)
    except ValueError:  # the counter expired or was evicted in between
        call("set", key, 1, timeout=seconds * 2)
        return 1


def throttled(scope, limit, seconds=60):
    """Decorate a view whose work is costly. `limit` may be a callable (read at request time, so a
    setting can change it). Signed-in staff are not counted."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            user = getattr(request, "user", None)
            staff = user is not None and user.is_authenticated
            if not staff and not allowed(request, scope, limit() if callable(limit) else limit, seconds):
                response = render(request, "429.html", {"retry_after": seconds}, status=429)
                response["Retry-After"] = str(seconds)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
