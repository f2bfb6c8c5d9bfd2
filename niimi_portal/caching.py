"""Whole-page caching of the public pages, made stale by what changed.

Residents' pages are the same for every anonymous visitor with the same display choices, so the
rendered HTML is kept in Django's cache (local memory by default, Redis when CACHE_URL says so).
Each view says what it shows (`shows(request, FAQ_PAGE)`, `shows(request, organization)`), and the
page is stored with the current *version* of each of those tags; a save renews the versions of the
tags its model's rule names (niimi_portal/lib/page_tags.py, one rule per model in each app's
`cache_rules.py`), so a clerk fixing a FAQ makes the FAQ and search pages stale, not the area
pages. Every page also depends on the site-wide tag (a model without a rule renews it), and a page
whose view said nothing depends on the tag every save renews.

A version is a fresh random token, stored with no timeout, never a counter: if the cache loses it
(a full file cache culls a third of its entries, Redis evicts under `maxmemory`), the next one is
new again and can never bring back pages stored under an old one. Every save also renews one
more tag, ANY: a page during whose rendering ANY changed is served but not stored (it may hold the
rows from before the save), and the tags are renewed again when the saving transaction commits, so
a page another worker rendered in between is stale too.

The middleware sits just inside WhiteNoise, so a hit is answered before sessions, CSRF, auth, URL
resolution and the view run: one cache round trip and the stored bytes and headers. Only a
request that carries no cookie but the display choices and the CSRF cookie can be answered from
the cache, so a signed-in member of staff (session cookie) or a visitor with a pending message
always reaches the view.

A stored page is kept twice, as it is and gzip-compressed (text only), and a browser that accepts
gzip gets the compressed bytes: residents on slow mobile lines in the mountains download a fraction.
Only these pages are compressed, never a page with a CSRF token or a staff page (see `serve`).

The key holds only what changes the page: the scheme and host, the path, the query parameters the
view reads (QUERY_PARAMETERS) and the validated display choices, never raw cookie text. A request
with any other query parameter (`/about/?flood=1`) is answered by the view and not stored, so it
cannot fill the cache; the printable PDFs drop unknown parameters from the key instead, so they are
not rendered again for them.

Never stored: anything for a logged-in user, anything but GET/HEAD, any page outside
PUBLIC_PAGE_CACHE_URL_NAMES, any response that sets a cookie or carries a CSRF token, and anything
but a plain 200. The `X-Page-Cache: hit|miss` header is sent only when PUBLIC_PAGE_CACHE_HEADER is on
(development and tests): in production it would tell an outsider what is cached.

A page served or stored here carries `X-Accel-Expires: PUBLIC_PAGE_PROXY_SECONDS`: nginx in front keeps it that
long itself and serves the surge of a bad day near static speed (deploy/nginx/niimi-portal.conf). Nothing
else carries it, so nginx keeps nothing else.

When the cache does not answer (Redis stopped or slow, a file cache folder that cannot be written;
niimi_portal/lib/shared_cache.py), the page is rendered by its view as if nothing were cached: never
served from the cache unless the tag versions could be read, never stored without them.
"""

import contextlib
import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

from niimi_portal.context_processors import display
from niimi_portal.lib.page_tags import ANY, SITE, TAG_PREFIX, version, versions
from niimi_portal.lib.shared_cache import CacheUnavailable, attempt

# The site-wide version: renewed by a save under a model with no rule, and by `renew_every_page()`.
GENERATION_KEY = TAG_PREFIX + SITE
ANY_KEY = TAG_PREFIX + ANY
# Cookies that change how a public page looks (文字サイズ, 背景色, ふりがな…) all start with this.
DISPLAY_COOKIE_PREFIX = "portal_"
# Stored twice, as they are and gzip-compressed; PDFs are compressed already.
COMPRESSED_TYPES = ("text/", "application/json")

# The query parameters each public page reads; a request with any other parameter is not cached.
# A page with a new parameter must be listed here to be cached with it (unlisted, it is simply
# answered by its view every time).
QUERY_PARAMETERS = {
    "search": ("q", "kind", "page"),
    "organizations:region_list": ("page",),
    "organizations:region_detail": ("page",),
    "organizations:region_find": ("q",),
    "organizations:organization_list": ("stage", "approval", "page"),
    "organizations:faq": ("q", "page"),
    "organizations:case_list": ("page",),
    "organizations:liaison_roster": ("year", "page"),
    "organizations:liaison_roster_pdf": ("year",),
    "organizations:schedule": ("page",),
    "organizations:open_data_file": ("year",),
    "grants:overview": ("area", "region", "population", "households"),
    "city:notices": ("page",),
}
# Pages whose listed parameters are all that they read: other parameters are left out of the key
# (the PDFs, whose rendering is costly, are then not rendered again for `?x=1`).
OTHER_PARAMETERS_IGNORED = {"organizations:liaison_roster_pdf", "organizations:organization_plan_pdf"}


def generation():
    """The site-wide version."""
    return version(GENERATION_KEY)


def page_tag_keys(request):
    """The keys of the tags the page depends on: what its view declared, or every save if it said nothing."""
    declared = getattr(request, "page_cache_tags", None)
    tags = {SITE, *(declared if declared is not None else [ANY])}
    return sorted(TAG_PREFIX + tag for tag in tags)


def is_public_page(resolver_match):
    if resolver_match is None:
        return False
    names = settings.PUBLIC_PAGE_CACHE_URL_NAMES
    return resolver_match.view_name in names or f"{resolver_match.namespace}:*" in names


def page_key(request):
    """The key of the page as this visitor would see it, or None when the request may not be served
    from the cache: not GET/HEAD, a cookie other than the display choices and the CSRF cookie, a URL
    outside PUBLIC_PAGE_CACHE_URL_NAMES (so other pages never pay a cache round trip), or a query
    parameter the page does not read (see QUERY_PARAMETERS)."""
    if request.method not in ("GET", "HEAD"):
        return None
    for name in request.COOKIES:
        if not name.startswith(DISPLAY_COOKIE_PREFIX) and name != settings.CSRF_COOKIE_NAME:
            return None  # a session (maybe signed in) or pending messages: only the view knows
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if not is_public_page(match):
        return None
    query = meaningful_query(request, match.view_name)
    if query is None:
        return None
    # get_host() also refuses a host outside ALLOWED_HOSTS, as CommonMiddleware would further in.
    address = (request.scheme, request.get_host(), request.path, query)
    # The display choices as the page applies them: an unknown or crafted cookie value counts as the default.
    choices = display(request)["display"]
    shown = f"text={choices['text_size']};contrast={choices['contrast']};ruby={int(choices['ruby'])}"
    parts = (*address, shown)
    return f"portal:page:{hashlib.sha256(repr(parts).encode()).hexdigest()}"


def meaningful_query(request, view_name):
    """The query parameters that change the page, in a fixed order; None when there is another one
    (except where OTHER_PARAMETERS_IGNORED says it is left out)."""
    wanted = QUERY_PARAMETERS.get(view_name, ())
    if not set(request.GET) <= set(wanted) and view_name not in OTHER_PARAMETERS_IGNORED:
        return None
    return urlencode([(name, value) for name in wanted for value in request.GET.getlist(name)])


class PublicPageCacheMiddleware:
    """Serve and store the rendered public pages (see the module docstring for what is never cached)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0:
            return self.get_response(request)
        key = page_key(request)
        if key is None:
            return self.get_response(request)
        try:
            hit = cached_response(request, key)
            before = None if hit is not None else version(ANY_KEY)  # every save renews it
        except CacheUnavailable:
            response = self.get_response(request)  # slower, never broken: the view renders the page
            if storable(request, response):
                allow_proxy(response)  # nginx's own copy then carries the surge while the cache is away
            return response
        if hit is not None:
            return hit
        response = self.get_response(request)
        if not storable(request, response):
            return response
        content = response.content
        gzipped = compress_string(content) if worth_compressing(response) else None
        if gzipped is not None:
            patch_vary_headers(response, ("Accept-Encoding",))
        with contextlib.suppress(CacheUnavailable):  # the page is answered all the same, only not kept
            store(request, key, before, response, content, gzipped)
        return serve(request, response, content, gzipped, "miss")


def cached_response(request, key):
    """The stored page when the current versions of the tags it was stored under all match, else None."""
    entry = attempt("get", key)
    if entry is None:
        return None
    stored, content, gzipped, headers = entry
    if versions(list(stored)) != stored:
        return None
    response = HttpResponse()
    for name, value in headers:
        response[name] = value
    return serve(request, response, content, gzipped, "hit")


def store(request, key, before, response, content, gzipped):
    """Keep the rendered page under the current versions, unless a save happened while it was rendered."""
    current = versions(sorted({ANY_KEY, *page_tag_keys(request)}))
    # A save since the rendering began (or a lost ANY): the page may hold the rows from before it.
    if before is not None and current[ANY_KEY] == before:
        if ANY_KEY not in page_tag_keys(request):
            del current[ANY_KEY]
        headers = [(name, value) for name, value in response.items() if name != "Content-Length"]
        attempt("set", key, (current, content, gzipped, headers), settings.PUBLIC_PAGE_CACHE_SECONDS)


def allow_proxy(response):
    """Let nginx keep this page for PUBLIC_PAGE_PROXY_SECONDS (deploy/nginx/niimi-portal.conf). nginx reads
    `X-Accel-Expires` and never passes it on, so a browser keeps nothing longer for it; a page without it is
    never kept by nginx."""
    if settings.PUBLIC_PAGE_PROXY_SECONDS > 0:
        response["X-Accel-Expires"] = str(settings.PUBLIC_PAGE_PROXY_SECONDS)


def worth_compressing(response):
    kind = response.get("Content-Type", "")
    return len(response.content) >= 200 and kind.startswith(COMPRESSED_TYPES)


def serve(request, response, content, gzipped, how):
    """The page's bytes, gzip-compressed when the browser accepts it.

    Only these cached public pages are compressed: they carry no CSRF token and nothing of a
    signed-in user, so compression cannot leak a secret (BREACH). Staff pages are sent as they are.
    """
    if gzipped is not None and accepts_gzip(request.headers.get("Accept-Encoding", "")):
        response.content = gzipped
        response["Content-Encoding"] = "gzip"
    else:
        response.content = content
    response["Content-Length"] = str(len(response.content))
    allow_proxy(response)
    if settings.PUBLIC_PAGE_CACHE_HEADER:
        response["X-Page-Cache"] = how
    return response


CODING = re.compile(r"^\s*([\w*-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$", re.IGNORECASE)


def accepts_gzip(header):
    """Whether an Accept-Encoding header accepts gzip, with its quality values: `gzip;q=0` and
    `*;q=0` refuse it, `*` accepts it."""
    qualities = {}
    for item in header.split(","):
        match = CODING.match(item)
        if match:
            try:
                quality = float(match.group(2)) if match.group(2) is not None else 1.0
            except ValueError:
                quality = 0.0
            qualities[match.group(1).lower()] = quality
    quality = qualities.get("gzip", qualities.get("x-gzip", qualities.get("*", 0.0)))
    return quality > 0


def storable(request, response):
    """Whether the answer to a request `page_key` accepted (a public URL, no session) may be kept."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or "no-store" in response.get("Cache-Control", ""):
        return False
    user = getattr(request, "user", None)
    return not (user and user.is_authenticated)
