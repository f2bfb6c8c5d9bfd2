"""The public names table for ふりがな: the stored よみ of every name the public pages show.

The analyzer (niimi_portal.lib.furigana) knows no domain; this module gives it the table of areas,
published organizations and liaison officers on the roster, cached and cleared when one changes.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from niimi_portal.lib.furigana import FORMAT, build_names
from organizations.models import Organization, Region, of_no_or_a_published_organization
from organizations.public import public_organizations
from staff.models import Assignment, LiaisonOfficer

NAMES_CACHE_KEY = f"furigana:names:{FORMAT}"
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


def names():
    table = cache.get(NAMES_CACHE_KEY)
    if table is None:
        table = build_names(public_names())
        cache.set(NAMES_CACHE_KEY, table, NAMES_CACHE_SECONDS)
    return table


def forget_names(**kwargs):
    cache.delete(NAMES_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(NAMES_CACHE_KEY))


def connect_signals():
    """A name, よみ, publication or roster change makes the next page read the names afresh."""
    for model in (Region, Organization, LiaisonOfficer, Assignment):
        post_save.connect(forget_names, sender=model, dispatch_uid=f"furigana-{model.__name__}-save")
        post_delete.connect(forget_names, sender=model, dispatch_uid=f"furigana-{model.__name__}-delete")
