"""Which cached public pages a save makes stale: a few tags, one rule per model, renewed by what changed.

Every cached page depends on *tags* (niimi_portal.caching stores each page with the version of each
tag it was rendered under). A view says what it shows with `shows(request, …)`: a list (`FAQ_PAGE`,
`ROSTER`…) or one object (`tag_of(organization)`, its own page). Each app declares, in one place (its
`cache_rules.py`), which tags a save or delete of each of its models touches:

    page_tags.register(FAQ, tags=[FAQ_PAGE, SEARCH])

`tags` is a function of the instance (no queries where the `_id` fields suffice), a constant list,
`()` for a model no public page shows, or `SITE_WIDE` for one shown almost everywhere (a rename of an
area or of a liaison officer). A model with no rule at all is site-wide too, so a model added later
cannot leave a page stale.

This module is the one place where saves renew tags through signal receivers: `connect()` (called from
NiimiPortalConfig.ready) loads every app's `cache_rules` and connects post_save, post_delete and
m2m_changed of every model of CACHED_APPS to the rules; an Organization's save renews its tags here, not
in a receiver of its own. The tags are renewed when the save happens and again when its transaction
commits (a page rendered in between from the committed, older rows would otherwise pass as fresh); a
rolled-back save only costs a render. Many-to-many changes (an organization's 活動区域) apply the rule of
the model that declares the field to each object on that side. Historical rows (django-simple-history)
touch nothing by themselves.

`.update()`, `bulk_create()` and raw SQL send no signals: call `renew_model(Model)` (or
`renew_every_page()`) after them, as the area and statistics import does.

A version is a fresh random token, stored with no timeout, never a counter: if the cache loses it (a
full file cache culls a third of its entries, Redis evicts under `maxmemory`), the next one is new
again and can never bring back pages stored under an old one. Every save also renews ANY: a page
during whose rendering ANY changed is served but not stored.

When the cache does not answer (niimi_portal/lib/shared_cache.py), `version` and `versions` raise
CacheUnavailable, so the page cache neither serves nor stores a page whose versions it cannot read. A
renewal that fails is remembered by the process, which renews every page's tags (SITE and ANY) at its
next successful read, before it trusts any version: pages stored before the missed save are then stale.
Should the process end first, a page is kept at most PUBLIC_PAGE_CACHE_SECONDS.

Imports Django only, so every app can declare and renew its tags without importing the site package.
"""

import secrets
import time

from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal
from django.utils.module_loading import autodiscover_modules

from niimi_portal.lib.shared_cache import attempt, quietly

# Apps whose models are shown on the cached public pages; each has a `cache_rules` module.
CACHED_APPS = ("organizations", "staff", "grants", "library")

# The lists and shared parts of the public pages (an object's own page uses `tag_of(obj)`).
HOME = "home"  # the home page's table of stages and areas
AREAS = "areas"  # the area list, the find-my-area box and every area's page
ORGANIZATIONS = "organizations"  # the organization list
FAQ_PAGE = "faq"
CASES = "cases"  # the case example list
ROSTER = "roster"  # 地域担当職員名簿, page and PDF
SCHEDULE = "schedule"  # 予定, page and calendar feed
GRANTS = "grants"  # the 一括交付金 page and its estimates
SEARCH = "search"
OPEN_DATA = "open-data"
LIBRARY = "library"  # 資料室 (not cached; the tag dates its 更新日)
TEXTS = "texts"  # the policy division's page texts (PageBlock)
NOTICES = "notices"  # お知らせ: the home page's list, the お知らせ page and the sitemap
SITE_PAGES = "site-pages"  # プライバシーポリシー, 免責事項 (SitePage): their pages, the footer and the sitemap
STAGE_TEXTS = "stage-texts"  # 段階の説明 (PageBlock stage_1…3): the home page's and every organization page's diagram

# Every page depends on SITE: a save under a model with no rule renews it.
SITE = "site"
# A page whose view did not say what it shows depends on ANY, which every save renews.
ANY = "any"

TAG_PREFIX = "portal:tag:"


class _SiteWide:
    def __repr__(self):
        return "SITE_WIDE"


SITE_WIDE = _SiteWide()

_rules = {}


# -- what a page shows ---------------------------------------------------------------------------


def tag_of(obj=None, *, model=None, pk=None):
    """The tag of one object's own page: `organizations.organization:12`."""
    model = model or type(obj)
    return f"{model._meta.label_lower}:{obj.pk if pk is None else pk}"


def shows(request, *things):
    """Declare what the page answering `request` shows: tags (FAQ_PAGE…) or model instances (their own
    pages' tags). A cached page is stale when one of them changes."""
    declared = getattr(request, "page_cache_tags", None)
    if declared is None:
        declared = request.page_cache_tags = set()
    for thing in things:
        declared.add(tag_of(thing) if isinstance(thing, models.Model) else thing)


# -- versions ------------------------------------------------------------------------------------


def new_generation():
    """A value no version ever had before: the clock in nanoseconds and a random part."""
    return f"{time.time_ns():x}-{secrets.token_hex(8)}"


class _Missed:
    """Whether a renewal failed in this process since the cache last answered."""

    renewal = False


def _renew_missed():
    """After a failed renewal, renew every page's tags before a version is trusted again."""
    if _Missed.renewal:
        attempt("set_many", {TAG_PREFIX + SITE: new_generation(), TAG_PREFIX + ANY: new_generation()}, timeout=None)
        _Missed.renewal = False


def version(key):
    """The current version of one tag key (a new one if it is missing); CacheUnavailable when the
    cache does not answer."""
    _renew_missed()
    value = attempt("get", key)
    if value is None:
        attempt("add", key, new_generation(), timeout=None)
        value = attempt("get", key)
    return value


def versions(keys):
    """The current version of each tag key (a new one for a missing key); CacheUnavailable when the
    cache does not answer."""
    _renew_missed()
    found = attempt("get_many", keys)
    for key in keys:
        if key not in found:
            attempt("add", key, new_generation(), timeout=None)
            found[key] = attempt("get", key) or new_generation()
    return found


def renew_tags(tags):
    """New versions of `tags`, now (remembered for later when the cache does not answer)."""
    stored = quietly("set_many", {TAG_PREFIX + tag: new_generation() for tag in tags}, timeout=None, default=False)
    if stored is False:
        _Missed.renewal = True


# Sent once for each renewal, with its tags, when the change is made (in its transaction, not again at the
# commit): the site package records when each tag last changed, which the pages show as 更新日.
tags_renewed = Signal()


def renew(tags):
    """Renew `tags` now and again when the current transaction commits."""
    tags = sorted(tags)
    renew_tags(tags)
    tags_renewed.send(sender=None, tags=tags)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: renew_tags(tags))


def renew_every_page():
    """Every cached page becomes stale, now and again when the change commits."""
    renew([SITE, ANY])


# -- rules ---------------------------------------------------------------------------------------


def register(model, *, tags):
    """Declare which tags a save or delete of `model` touches (see the module docstring)."""
    if model in _rules:
        raise ValueError(f"{model._meta.label} already has a page-cache rule")
    _rules[model] = tags


def is_historical(model):
    """A django-simple-history copy (of a row, or of its many-to-many links): saved alongside its model,
    shown on no public page."""
    return (hasattr(model, "instance_type") and hasattr(model, "history_object")) or hasattr(model, "m2m_history_id")


def rule_for(model):
    """The declared rule, `()` for a historical model, SITE_WIDE when there is none."""
    if model in _rules:
        return _rules[model]
    if is_historical(model):
        return ()
    return SITE_WIDE


def tags_for(instance):
    """The tags a save or delete of `instance` touches; always ANY, and SITE for a site-wide model."""
    rule = rule_for(type(instance))
    if rule is SITE_WIDE:
        return {ANY, SITE}
    try:
        found = rule(instance) if callable(rule) else rule
        return {ANY, *found}
    except Exception:  # a related row gone in a cascade: renew every page rather than guess
        return {ANY, SITE}


def renew_model(model):
    """After a change that sends no signal (`bulk_create`, `bulk_update`, `.update()` of `model`'s rows):
    the tags its rule names when they do not depend on the row, else every page."""
    rule = rule_for(model)
    renew({ANY, SITE} if rule is SITE_WIDE or callable(rule) else {ANY, *rule})


# -- the signal receivers (the one place a save renews tags) -------------------------------------


def saved(sender, instance, **kwargs):
    renew(tags_for(instance))


def m2m_saved(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    declaring = model if reverse else type(instance)
    if declaring._meta.app_label not in CACHED_APPS:
        return  # a user's groups, say: no public page shows them
    if not reverse:  # the instance declares the field: its rule covers the link
        if action != "pre_clear":
            renew(tags_for(instance))
        return
    # The instance is on the other side (a Region's organizations): the rule of each object of the
    # declaring model. A reverse clear names none, so its objects are read before it.
    if action == "pre_clear":
        instance.page_cache_cleared = list(getattr(instance, reverse_accessor(sender, model)).all())
        return
    if action == "post_clear":
        objects = getattr(instance, "page_cache_cleared", [])
    else:
        objects = list(model._default_manager.filter(pk__in=pk_set))
    tags = {ANY}
    for obj in objects:
        tags |= tags_for(obj)
    renew(tags)


def reverse_accessor(through, declaring_model):
    for field in declaring_model._meta.many_to_many:
        if field.remote_field.through is through:
            return field.remote_field.get_accessor_name()
    raise LookupError(through)


def connect():
    """Load each app's rules (its `cache_rules` module, as the admin finds `admin` modules) and connect the
    signals (from NiimiPortalConfig.ready)."""
    autodiscover_modules("cache_rules")
    for model in cached_models():
        label = model._meta.label
        post_save.connect(saved, sender=model, dispatch_uid=f"page-cache-save-{label}")
        post_delete.connect(saved, sender=model, dispatch_uid=f"page-cache-delete-{label}")
    m2m_changed.connect(m2m_saved, dispatch_uid="page-cache-m2m")


def cached_models():
    """Every model of the public-facing apps, historical copies included."""
    return [model for model in apps.get_models() if model._meta.app_label in CACHED_APPS]
