"""Which cached public pages a save makes stale: one rule per model, declared once.

Every cached page depends on *tags* (niimi_portal.caching keeps a version per tag and stores each
page with the versions it was rendered under). A view says what it shows with `caching.shows()`:
a list (`FAQ`, `ROSTER`…) or one object (`tag_of(organization)`). A model's rule says which tags a
save or delete of one of its rows touches; the rules live in each app's `cache_rules.py`:

    invalidation.register(FAQ, tags=lambda faq: [FAQ_PAGE, SEARCH])

`tags` is a function of the instance (no queries where the `_id` fields suffice), a constant list,
`()` for a model no public page shows, or `SITE_WIDE` for one shown almost everywhere (a rename of
an area or of a liaison officer). A model with no rule at all is site-wide too, so a model added
later cannot leave a page stale; tests/niimi_portal/test_page_invalidation.py lists every model.

The tags are renewed when the save happens and again when its transaction commits (a page
rendered in between from the committed, older rows would otherwise pass as fresh); a rolled-back
save only costs a render. Many-to-many changes (an organization's 活動区域) apply the rule of the
model that declares the field to each object on that side. Historical rows (django-simple-history)
follow their own model's save and touch nothing by themselves.

`.update()`, `bulk_create()` and raw SQL send no signals: call `renew_model(Model)` (or
`caching.invalidate()`, every page) after them, as the area and statistics import does.
"""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

# Apps whose models are shown on the cached public pages.
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
TEXTS = "texts"  # the policy division's page texts (PageBlock)

# Every page depends on SITE: a save under a model with no rule renews it.
SITE = "site"
# A page whose view did not say what it shows depends on ANY, which every save renews.
ANY = "any"


class _SiteWide:
    def __repr__(self):
        return "SITE_WIDE"


SITE_WIDE = _SiteWide()

_rules = {}


def register(model, *, tags):
    """Declare which tags a save or delete of `model` touches (see the module docstring)."""
    if model in _rules:
        raise ValueError(f"{model._meta.label} already has a page-cache rule")
    _rules[model] = tags


def tag_of(obj=None, *, model=None, pk=None):
    """The tag of one object's own page: `organizations.organization:12`."""
    model = model or type(obj)
    return f"{model._meta.label_lower}:{obj.pk if pk is None else pk}"


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


def renew(tags):
    """Renew `tags` now and again when the current transaction commits."""
    from niimi_portal.caching import renew_tags

    tags = sorted(tags)
    renew_tags(tags)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: renew_tags(tags))


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
        instance._page_cache_cleared = list(getattr(instance, _reverse_accessor(sender, model)).all())
        return
    if action == "post_clear":
        objects = getattr(instance, "_page_cache_cleared", [])
    else:
        objects = list(model._default_manager.filter(pk__in=pk_set))
    tags = {ANY}
    for obj in objects:
        tags |= tags_for(obj)
    renew(tags)


def _reverse_accessor(through, declaring_model):
    for field in declaring_model._meta.many_to_many:
        if field.remote_field.through is through:
            return field.remote_field.get_accessor_name()
    raise LookupError(through)


def connect():
    """Load each app's rules and connect the signals (from NiimiPortalConfig.ready)."""
    from importlib import import_module

    for app in CACHED_APPS:
        import_module(f"{app}.cache_rules")
    for model in cached_models():
        label = model._meta.label
        post_save.connect(saved, sender=model, dispatch_uid=f"page-cache-save-{label}")
        post_delete.connect(saved, sender=model, dispatch_uid=f"page-cache-delete-{label}")
    m2m_changed.connect(m2m_saved, dispatch_uid="page-cache-m2m")


def cached_models():
    """Every model of the public-facing apps, historical copies included."""
    return [model for model in apps.get_models() if model._meta.app_label in CACHED_APPS]
