"""Whole-page caching of the public pages, invalidated on every save.

Residents' pages are the same for every anonymous visitor with the same display choices, so the
rendered HTML is kept in Django's cache (local memory by default, Redis when CACHE_URL says so).
Every cache key carries a *generation* number; any save or delete of a model in the portal's own
apps bumps it, so a change made in the admin or the workspace shows on the next request.

Never cached: anything for a logged-in user, anything but GET/HEAD, any response that sets a
cookie or carries a CSRF token, and anything but a plain 200.
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

GENERATION_KEY = "portal:page-generation"
CACHED_APPS = ("organizations", "staff", "grants")
# Cookies that change how a public page looks (文字サイズ, 背景色, ふりがな…) all start with this.
DISPLAY_COOKIE_PREFIX = "portal_"


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
    display = "&".join(
        f"{name}={value}" for name, value in sorted(request.COOKIES.items()) if name.startswith(DISPLAY_COOKIE_PREFIX)
    )
    digest = hashlib.sha256(f"{request.get_full_path()}|{display}".encode()).hexdigest()
    return f"portal:page:{digest}"


class PublicPageCacheMiddleware:
    """Serve and store the rendered public pages (see the module docstring for what is never cached)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        store(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        if not is_public_page(request.resolver_match) or request.user.is_authenticated:
            return None
        key = page_key(request)
        # One round trip for the current generation and the stored page; a page stored under an
        # older generation is stale.
        found = cache.get_many([GENERATION_KEY, key])
        current = found.get(GENERATION_KEY) or generation()
        entry = found.get(key)
        if entry is not None and entry[0] == current:
            _, content, headers = entry
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        request._page_cache = (key, current)
        return None


def store(request, response):
    """Keep the page's bytes and headers (not the pickled response) with the generation it was made in."""
    pending = getattr(request, "_page_cache", None)
    if not pending or response.status_code != 200 or response.streaming or response.cookies:
        return
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or "no-store" in response.get("Cache-Control", ""):
        return
    key, made_in = pending
    response["X-Page-Cache"] = "miss"
    headers = [(name, value) for name, value in response.items() if name != "X-Page-Cache"]
    cache.set(key, (made_in, response.content, headers), settings.PUBLIC_PAGE_CACHE_SECONDS)
