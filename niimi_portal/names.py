"""The public names table for ふりがな: the stored よみ of every name the public pages show.

The analyzer (niimi_portal.lib.furigana) knows no domain; this module gives it the table of areas,
published organizations and liaison officers on the roster, cached and cleared when one changes.
It reads organizations and staff, so it lives in the site package; its receivers are connected in
one place, NiimiPortalConfig.ready().
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from niimi_portal.lib.furigana import FORMAT, build_names, prepare_readings
from niimi_portal.lib.markdown import render_markdown
from niimi_portal.lib.shared_cache import quietly
from organizations.models import (
    FAQ,
    CaseStudy,
    FuturePlan,
    Organization,
    PageBlock,
    Region,
    of_no_or_a_published_organization,
)
from organizations.public import public_organizations
from staff.models import Assignment, LiaisonOfficer

NAMES_CACHE_KEY = f"furigana:names:{FORMAT}"
# The version of the table in the cache: a process that holds that version already uses its own copy
# instead of unpickling the table (thousands of names and their pattern) on every page.
NAMES_VERSION_KEY = f"furigana:names-version:{FORMAT}"
# Saving a name clears the table at once; the timeout only bounds how long another process's own
# (non-shared) cache may keep an old table.
NAMES_CACHE_SECONDS = 600


def public_names():
    """(name, よみ) of every area, every published organization and every liaison officer on the roster."""
    officers = LiaisonOfficer.objects.filter(
        of_no_or_a_published_organization("assignments__organization"), assignments__isnull=False
    ).distinct()
    rows = []
    for queryset in (Region.objects.all(), public_organizations(), officers):
        rows.extend(queryset.order_by("pk").values_list("name", "name_kana"))
    return rows


_tables = {}  # version → table, in this process: the latest one only


def names():
    """The table, shared through the cache; built from the database on each call while the cache does
    not answer (niimi_portal/lib/shared_cache.py)."""
    version = quietly("get", NAMES_VERSION_KEY)
    table = _tables.get(version) if version is not None else None
    if table is None:
        table = quietly("get", NAMES_CACHE_KEY)
        if table is None:
            table = build_names(public_names())
            quietly("set", NAMES_CACHE_KEY, table, NAMES_CACHE_SECONDS)
        quietly("set", NAMES_VERSION_KEY, table.version, NAMES_CACHE_SECONDS)
        _tables.clear()
        _tables[table.version] = table
    return table


def forget_names(**kwargs):
    keys = [NAMES_CACHE_KEY, NAMES_VERSION_KEY]
    quietly("delete_many", keys)
    transaction.on_commit(lambda: quietly("delete_many", keys))


# The texts the public pages show, and how a page shows each: "plain" as it is, "lines" a line at a
# time (|linebreaks, |linebreaksbr), "markdown" rendered (niimi_portal.lib.markdown).
PUBLIC_TEXTS = {
    FAQ: {"question": "plain", "answer": "markdown"},
    CaseStudy: {"title": "plain", "summary": "plain", "body": "lines"},
    Organization: {"description": "lines"},
    FuturePlan: {"vision": "lines", "issues": "lines", "goals": "lines"},
    PageBlock: {"body": "markdown"},
}


def prepare_texts(instances):
    """Read the public texts of `instances` now and store their readings (niimi_portal.readings), so the
    first ふりがな page that shows them costs no more than a page seen before."""
    texts, documents = [], []
    for instance in instances:
        for field, shown in PUBLIC_TEXTS.get(type(instance), {}).items():
            value = getattr(instance, field) or ""
            if shown == "markdown":
                documents.append(str(render_markdown(value)))
            else:
                texts.extend(value.splitlines() if shown == "lines" else [value])
    if texts or documents:
        table = names()
        prepare_readings(texts, table)
        prepare_readings(documents, table, markup=True)


def prepare_on_save(sender, instance, **kwargs):
    """When a public text is saved, its readings are prepared once the change is committed."""
    transaction.on_commit(lambda: prepare_texts([instance]))


def connect_signals():
    """A name, よみ, publication or roster change makes the next page read the names afresh; a saved
    public text has its readings prepared."""
    for model in (Region, Organization, LiaisonOfficer, Assignment):
        post_save.connect(forget_names, sender=model, dispatch_uid=f"furigana-{model.__name__}-save")
        post_delete.connect(forget_names, sender=model, dispatch_uid=f"furigana-{model.__name__}-delete")
    for model in PUBLIC_TEXTS:
        post_save.connect(prepare_on_save, sender=model, dispatch_uid=f"furigana-{model.__name__}-prepare")
