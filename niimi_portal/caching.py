"""Whole-page caching of the public pages, invalidated on every save.

Residents' pages are the same for every anonymous visitor with the same display choices, so the
rendered HTML is kept in Django's cache (local memory by default, Redis when CACHE_URL says so).
Every cache key carries a *generation* number; any save or delete of a model in the portal's own
apps bumps it, so a change made in the admin or the workspace shows on the next request.

The middleware sits just inside WhiteNoise, so a hit is answered before sessions, CSRF, auth, URL
resolution and the view run: one cache round trip and the stored bytes and headers. Only a
request that carries no cookie but the display choices and the CSRF cookie can be answered from
the cache, so a signed-in member of staff (session cookie) or a visitor with a pending message
always reaches the view.

A stored page is kept twice, as it is and gzip-compressed (text only), and a browser that accepts
gzip gets the compressed bytes: residents on slow mobile lines in the mountains download a fraction.
Only these pages are compressed, never a page with a CSRF token or a staff page (see `serve`).

Never stored: anything for a logged-in user, anything but GET/HEAD, any page outside
PUBLIC_PAGE_CACHE_URL_NAMES, any response that sets a cookie or carries a CSRF token, and anything
but a plain 200.
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip as ACCEPTS_GZIP
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

GENERATION_KEY = "portal:page-generation"
CACHED_APPS = ("organizations", "staff", "grants")
# Cookies that change how a public page looks (文字サイズ, 背景色, ふりがな…) all start with this.
DISPLAY_COOKIE_PREFIX = "portal_"
# Stored twice, as they are and gzip-compressed; PDFs are compressed already.
COMPRESSED_TYPES = ("text/", "application/json")


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def invalidate(**kwargs):
    """Bump the generation: every cached page becomes stale at once."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key was evicted or never set
        cache.set(GENERATION_KEY, generation() + 1, timeout=None)


def connect_invalidation():
    for model in apps.get_models():
        if model._meta.app_label in CACHED_APPS:
            post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{model._meta.label}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-delete-{model._meta.label}")
    m2m_changed.connect(invalidate, dispatch_uid="page-cache-m2m")


def is_public_page(resolver_match):
    if resolver_match is None:
        return False
    names = settings.PUBLIC_PAGE_CACHE_URL_NAMES
    return resolver_match.view_name in names or f"{resolver_match.namespace}:*" in names


def page_key(request):
    """The key of the page as this visitor would see it, or None when the request may not be served
    from the cache: not GET/HEAD, a cookie other than the display choices and the CSRF cookie, or a
    URL outside PUBLIC_PAGE_CACHE_URL_NAMES (so other pages never pay a cache round trip)."""
    if request.method not in ("GET", "HEAD"):
        return None
    display = []
    for name, value in request.COOKIES.items():
        if name.startswith(DISPLAY_COOKIE_PREFIX):
            display.append(f"{name}={value}")
        elif name != settings.CSRF_COOKIE_NAME:
            return None  # a session (maybe signed in) or pending messages: only the view knows
    try:
        if not is_public_page(resolve(request.path_info)):
            return None
    except Resolver404:
        return None
    # get_host() also refuses a host outside ALLOWED_HOSTS, as CommonMiddleware would further in.
    text = f"{request.get_host()}|{request.get_full_path()}|{'&'.join(sorted(display))}"
    return f"portal:page:{hashlib.sha256(text.encode()).hexdigest()}"


class PublicPageCacheMiddleware:
    """Serve and store the rendered public pages (see the module docstring for what is never cached)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = page_key(request) if settings.PUBLIC_PAGE_CACHE_SECONDS > 0 else None
        if key is None:
            return self.get_response(request)
        # One round trip for the current generation and the stored page; a page stored under an
        # older generation is stale.
        found = cache.get_many([GENERATION_KEY, key])
        current = found.get(GENERATION_KEY) or generation()
        entry = found.get(key)
        if entry is not None and entry[0] == current:
            _, content, gzipped, headers = entry
            response = HttpResponse()
            for name, value in headers:
                response[name] = value
            return serve(request, response, content, gzipped, "hit")
        response = self.get_response(request)
        if not storable(request, response):
            return response
        content = response.content
        gzipped = compress_string(content) if worth_compressing(response) else None
        if gzipped is not None:
            patch_vary_headers(response, ("Accept-Encoding",))
        headers = [(name, value) for name, value in response.items() if name != "Content-Length"]
        cache.set(key, (current, content, gzipped, headers), settings.PUBLIC_PAGE_CACHE_SECONDS)
        return serve(request, response, content, gzipped, "miss")


def worth_compressing(response):
    kind = response.get("Content-Type", "")
    return len(response.content) >= 200 and kind.startswith(COMPRESSED_TYPES)


def serve(request, response, content, gzipped, how):
    """The page's bytes, gzip-compressed when the browser accepts it.

    Only these cached public pages are compressed: they carry no CSRF token and nothing of a
    signed-in user, so compression cannot leak a secret (BREACH). Staff pages are sent as they are.
    """
    if gzipped is not None and ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response.content = gzipped
        response["Content-Encoding"] = "gzip"
    else:
        response.content = content
    response["Content-Length"] = str(len(response.content))
    response["X-Page-Cache"] = how
    return response


def storable(request, response):
    """Whether the answer to a request `page_key` accepted (a public URL, no session) may be kept."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or "no-store" in response.get("Cache-Control", ""):
        return False
    user = getattr(request, "user", None)
    return not (user and user.is_authenticated)
