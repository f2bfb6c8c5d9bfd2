"""Parts of the public pages kept rendered, so a page whose cached copy is stale (or not kept at all)
is assembled from the parts that did not change: `{% fragment "content" %}…{% endfragment %}`.

A part is kept under the same tag versions as its page (niimi_portal/caching.py): the tags the view
declared with `shows()` and the site-wide one, so a save makes it stale exactly when it makes the page
stale. What differs is what the key leaves out: the display choices (文字サイズ, 背景色 and ふりがな
are applied outside the part), so every visitor's variant of a page shares one rendering, and an edit
renders the parts again once, not once per variant and per worker's page cache miss.

The view gives the part's data lazily (`lazy_context`), so a part that is still fresh runs none of the
queries behind it: a page after an unrelated edit costs its frame (header, title, footer) and two cache
round trips.

Kept only where the whole page could be (`caching.page_key` accepted the request: a public URL, no
session or other cookie, only the query parameters the page reads) and only when the view said what
the page shows; never when a save happened while the request was answered (the part may hold rows
from before it), and never a part holding a CSRF token. The key holds the scheme, host, path and
meaningful query of the page, so two pages never share a part by accident.
"""

import functools
import hashlib
import operator
import os
import threading
from collections import OrderedDict
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, new_method_proxy
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from niimi_portal import caching
from niimi_portal.lib import furigana

KEY_PREFIX = "portal:fragment:"


class LazyValue(SimpleLazyObject):
    """A value made when first used, usable as the value itself in templates and filters (numbers included)."""

    __int__ = new_method_proxy(int)
    __float__ = new_method_proxy(float)
    __index__ = new_method_proxy(operator.index)
    __format__ = new_method_proxy(format)
    __ge__ = new_method_proxy(operator.ge)
    __le__ = new_method_proxy(operator.le)
    __sub__ = new_method_proxy(operator.sub)
    __mul__ = new_method_proxy(operator.mul)
    __mod__ = new_method_proxy(operator.mod)
    __reversed__ = new_method_proxy(reversed)


def lazy_context(build, names, **eager):
    """A template context whose `names` come from one call of `build()` (a dict), made only when the
    template first reads one of them: inside a fresh `{% fragment %}`, never. `eager` values are plain."""
    built = {}

    def value(name):
        if not built:
            built.update(build())
        return built[name]

    return {**{name: LazyValue(lambda name=name: value(name)) for name in names}, **eager}


@functools.cache
def release():
    """What this process renders with: a digest of the project's code, templates and message catalogues and
    of the static files' manifest (paths, sizes and change times, read once per process). A deploy changes
    it, so no part rendered by the code before outlives the deploy (parts live a day, pages five minutes)."""
    digest = hashlib.sha256()
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
    files = [manifest] if settings.STATIC_ROOT and manifest.exists() else []
    for folder, directories, names in os.walk(settings.BASE_DIR):
        directories[:] = sorted(d for d in directories if d not in IGNORED_DIRECTORIES and not d.startswith("."))
        files += [Path(folder, name) for name in sorted(names) if Path(name).suffix in RELEASE_SUFFIXES]
    for path in files:
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


RELEASE_SUFFIXES = {".py", ".html", ".txt", ".mo", ".json"}
IGNORED_DIRECTORIES = {".venv", ".git", "node_modules", "media", "staticfiles", "tests", "__pycache__", "bench"}


def lookup(request, name, vary=()):
    """(key, stored) for a part of the page answering `request`: key None when it may not be kept."""
    if settings.PUBLIC_FRAGMENT_CACHE_SECONDS <= 0:
        return None, None
    before = getattr(request, "page_cache_any", None)
    declared = getattr(request, "page_cache_tags", None)
    address = getattr(request, "page_address", None)
    if before is None or declared is None or address is None:
        return None, None  # not a cacheable request, or a view that did not say what it shows
    current = getattr(request, "fragment_versions", None)
    if current is None:  # read once per page, for all its parts
        current = caching.versions(sorted({caching.ANY_KEY, *caching.page_tag_keys(request)}))
        request.fragment_versions = current
    if current[caching.ANY_KEY] != before:
        return None, None  # a save since the request began: the view may have read rows from before it
    current = {key: value for key, value in current.items() if key != caching.ANY_KEY}
    # The day too: some parts read the date (the current fiscal year, the figures at a date, upcoming meetings).
    parts = (release(), name, address, tuple(vary), get_language(), timezone.localdate(), sorted(current.items()))
    key = KEY_PREFIX + hashlib.sha256(repr(parts).encode()).hexdigest()
    return key, cache.get(key)


def store(request, key, output):
    """Keep `output` under `key` unless a save happened since the request began or it holds a CSRF token."""
    if "csrfmiddlewaretoken" in output:
        return
    if caching.version(caching.ANY_KEY) == request.page_cache_any:
        cache.set(key, str(output), settings.PUBLIC_FRAGMENT_CACHE_SECONDS)


def render(request, name, vary, render_part):
    """The part `name` of the page: the kept rendering when fresh, else `render_part()` (then kept)."""
    key, stored = lookup(request, name, vary) if request is not None else (None, None)
    if stored is not None:
        # Rendered, and escaped, by the template the first time.
        return mark_safe(stored)  # nosec B308 B703  # noqa: S308
    output = render_part()
    if key is not None:
        store(request, key, output)
    return output


RUBY_KEY_PREFIX = "portal:ruby:"


def page_with_ruby(output, version, table):
    """The rendered page `output` with ふりがな (niimi_portal.lib.furigana.page_with_ruby with the names
    table `table()` of `version`), kept under the digest of the page, the table's version and the
    analyzer's (in the shared cache and, for the pages read last, in the process): a page assembled from
    kept parts is the same text on every request, so its ruby is written once, not once per request, and
    a page read back needs no names table. Never for a page holding a CSRF token (each rendering differs)."""
    if settings.PUBLIC_FRAGMENT_CACHE_SECONDS <= 0 or "csrfmiddlewaretoken" in output:
        return furigana.page_with_ruby(output, table())
    source = f"{release()}|{furigana.FORMAT}|{furigana.analyzer_version()}|{version}|{output}"
    key = RUBY_KEY_PREFIX + hashlib.sha256(source.encode()).hexdigest()
    written = _ruby_pages.get(key)
    if written is None:
        written = cache.get(key)
        if written is None:
            names = table()
            written = furigana.page_with_ruby(output, names)
            if names.version != version:  # the names changed meanwhile: this page is not that version's
                return written
            cache.set(key, written, settings.PUBLIC_FRAGMENT_CACHE_SECONDS)
    with _ruby_pages_lock:  # runserver answers in threads
        _ruby_pages[key] = written
        _ruby_pages.move_to_end(key)
        while len(_ruby_pages) > RUBY_PAGES_IN_MEMORY:
            _ruby_pages.popitem(last=False)
    return written


# The ruby pages this process wrote or read last (a page is about 50–150 KB): the most visited are not
# even fetched from the shared cache. A digest names exactly one text, so none of them can be stale.
RUBY_PAGES_IN_MEMORY = 64
_ruby_pages = OrderedDict()
_ruby_pages_lock = threading.Lock()


REMEMBERED_PREFIX = "portal:remembered:"


def remembered(request, name, make, timeout):
    """`make()` for the page answering `request`, kept while nothing the page shows changes: under the
    current versions of the tags its view declared (as its cached copy would be), with `name`, the release
    and the date. For what describes the page's data without being part of the page, such as the size of
    the PDF it links (a page would otherwise render the printout's HTML on every view to look it up by
    content); kept whatever PUBLIC_FRAGMENT_CACHE_SECONDS says, like those sizes. Made afresh and not kept
    when the view declared nothing, or a save happened meanwhile (`make` may have read rows from after it)."""
    declared = getattr(request, "page_cache_tags", None) if request is not None else None
    if declared is None:
        return make()
    current = caching.versions(sorted({caching.ANY_KEY, *caching.page_tag_keys(request)}))
    before = current.pop(caching.ANY_KEY)
    parts = (release(), name, get_language(), timezone.localdate(), sorted(current.items()))
    key = REMEMBERED_PREFIX + hashlib.sha256(repr(parts).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = make()
        if caching.version(caching.ANY_KEY) == before:
            cache.set(key, value, timeout)
    return value
