"""The address of an object's page, reversed once per URL pattern.

A list of 50 areas or organizations asks for 50–100 addresses; `reverse()` matches the pattern
anew each time (about 20 µs). `slug_url()` reverses the pattern once with a marker in place of the
slug (per script prefix, so a site under a sub-path gets its own), then fills in each slug, quoted as
`reverse()` quotes it. A slug `reverse()` would refuse (empty, or with "/") still goes through
`reverse()`, so it raises as before. `kept_reverse()` remembers whole addresses, for the `{% url %}`
tags of the page frame. The memos are emptied when ROOT_URLCONF changes (tests)."""

from functools import lru_cache
from urllib.parse import quote

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

MARKER = "slug0marker0"


@lru_cache(maxsize=64)
def _around(viewname, prefix):
    """What comes before and after the slug in `viewname`'s address."""
    head, _, tail = reverse(viewname, args=[MARKER]).partition(MARKER)
    return head, tail


def slug_url(viewname, slug):
    """reverse(viewname, args=[slug]) for a URL pattern whose only argument is a slug."""
    if not slug or "/" in slug:
        return reverse(viewname, args=[slug])
    head, tail = _around(viewname, get_script_prefix())
    return head + quote(slug, safe=RFC3986_SUBDELIMS + "~:@") + tail


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _around.cache_clear()
        _reversed.cache_clear()


@lru_cache(maxsize=1024)
def _reversed(viewname, args, kwargs, current_app, prefix, urlconf):
    return reverse(viewname, args=args, kwargs=dict(kwargs), current_app=current_app, urlconf=urlconf)


def kept_reverse(viewname, args=(), kwargs=None, current_app=None):
    """reverse(), remembered per process for each view name, arguments, script prefix and URL conf: the
    header, menu and footer of every page ask for the same twenty addresses (niimi_portal/templatetags/urls.py)."""
    kwargs = tuple(sorted((kwargs or {}).items()))
    try:
        return _reversed(viewname, tuple(args), kwargs, current_app, get_script_prefix(), get_urlconf())
    except TypeError:  # an argument that cannot be a key
        return reverse(viewname, args=args, kwargs=dict(kwargs), current_app=current_app)
