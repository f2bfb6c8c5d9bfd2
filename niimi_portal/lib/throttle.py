"""A limit on costly work per client address: at most `limit` times in each window of `seconds`.

The counts live in Django's cache (Redis, or the file cache shared by one machine's workers), one
counter per address and window. Over the limit, the visitor gets a page in Japanese with status 429
and `Retry-After`, and the work is not done.
"""

import functools
import time

from django.core.cache import cache
from django.shortcuts import render

from niimi_portal.lib.client import client_address


def allowed(request, scope, limit, seconds):
    """Count one more time for this client; False when it is over `limit` in the current window."""
    window = int(time.time() // seconds)
    key = f"throttle:{scope}:{window}:{client_address(request)}"
    cache.add(key, 0, timeout=seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter expired or was evicted in between
        cache.set(key, 1, timeout=seconds * 2)
        count = 1
    return count <= limit


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
