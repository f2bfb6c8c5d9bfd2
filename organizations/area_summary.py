"""Each area's 旧市町, stage and place in the town tallies, stored on the area (Region.town, stage_public,
stage_all, is_counted) so the public pages read them without climbing the tree at every request.

They follow from the tree and from the organizations' 活動区域, so they are worked out again whenever
one of those changes: a save or delete of an area or an organization, or a change of an organization's
areas. The receivers below are connected by `connect_signals()`, called from NiimiPortalConfig.ready
(niimi_portal/apps.py), the one place where saves have side effects through receivers; they run after
the page tags' and the names table's. `.update()`, `bulk_create()` and raw SQL send no signals: call
`refresh()` after them, as the demo loader does; a long run of saves (the area import) goes faster
`with deferred():`, which works them out once at the end.

The whole city is worked out each time (a few thousand areas: two light queries and an UPDATE of the
rows that changed), which keeps the rule in one place and cannot miss an area under a moved one.
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import m2m_changed, post_delete, post_save

from organizations.models import Organization, Region

FIELDS = ["town", "town_order", "town_kana", "stage_public", "stage_all", "is_counted"]
COLUMNS = ["town_id", "town_order", "town_kana", "stage_public", "stage_all", "is_counted"]
TOWN, DISTRICT = "town", "district"
# How far up a 旧市町 is looked for (行政区 → 大字 → 学区 → 旧市町) and an organization's area covers
# (its 学区 covers a 大字 and the 大字's 行政区).
TOWN_LEVELS, COVERING_LEVELS = 4, 3

_pending = ContextVar("area_summary_pending", default=None)


def summaries(regions, links):
    """What to store per area. `regions`: {pk: (parent_id, kind, order, name_kana)}; `links`: (region_id,
    stage, is_published) per organization's area. Returns {pk: (town_id, town_order, town_kana,
    stage_public, stage_all, is_counted)}: the 旧市町 the area lies in (itself for a 旧市町, None, 0 and ""
    for none) with its 表示順 and よみ; the furthest stage among the organizations (published
    ones, or all) whose 活動区域 is the area or one of the two above it, 0 for none; and whether the
    town tallies count it (below the 旧市町 level, not a 行政区, and no area below it but 行政区)."""
    own = {True: defaultdict(int), False: defaultdict(int)}
    for region_id, stage, published in links:
        own[False][region_id] = max(own[False][region_id], stage)
        if published:
            own[True][region_id] = max(own[True][region_id], stage)
    with_areas_below = {parent for parent, kind, *_ in regions.values() if parent is not None and kind != DISTRICT}
    result = {}
    for pk, (parent, kind, *_) in regions.items():
        chain = [pk]
        while parent in regions and len(chain) < TOWN_LEVELS:
            chain.append(parent)
            parent = regions[parent][0]
        town = next((area for area in chain if regions[area][1] == TOWN), None)
        covering = chain[:COVERING_LEVELS]
        result[pk] = (
            town,
            regions[town][2] if town else 0,
            regions[town][3] if town else "",
            max(own[True].get(area, 0) for area in covering),
            max(own[False].get(area, 0) for area in covering),
            kind not in (TOWN, DISTRICT) and pk not in with_areas_below,
        )
    return result


def refresh():
    """Work out every area's stored 旧市町, stages and tally flag again and store those that changed
    (or, inside `deferred()`, once at its end). Returns what is stored, by area (None when deferred)."""
    pending = _pending.get()
    if pending is not None:
        pending.add(True)
        return None

    tree = ["parent_id", "kind", "order", "name_kana"]
    stored = {pk: rest for pk, *rest in Region.objects.values_list("pk", *tree, *COLUMNS)}
    links = Organization.regions.through.objects.values_list(
        "region_id", "organization__stage", "organization__is_published"
    )
    now = summaries({pk: tuple(row[: len(tree)]) for pk, row in stored.items()}, links)
    changed = [
        Region(pk=pk, **dict(zip(COLUMNS, values, strict=True)))
        for pk, values in now.items()
        if tuple(stored[pk][len(tree) :]) != values
    ]
    Region.objects.bulk_update(changed, FIELDS, batch_size=500)
    return now


@contextmanager
def deferred():
    """Saves inside work the stored values out once, at the end (not when the block raises)."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set(set())
    try:
        yield
        needed = bool(_pending.get())
    finally:
        _pending.reset(token)
    if needed:
        refresh()


def _region_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the fixture carries the stored values
        return
    now = refresh()
    if now and instance.pk in now:
        # The saved instance may be saved again: let it carry what is now stored, not what it was given.
        for name, value in zip(COLUMNS, now[instance.pk], strict=True):
            setattr(instance, name, value)


def _changed(sender, raw=False, **kwargs):
    if not raw:
        refresh()


def _organization_saved(sender, raw=False, update_fields=None, **kwargs):
    # Only its stage and whether it is published weigh on its areas (its areas: _areas_changed).
    if not raw and (update_fields is None or {"stage", "is_published"} & set(update_fields)):
        refresh()


def _areas_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        refresh()


def connect_signals():
    """Connect the receivers above (from NiimiPortalConfig.ready, once)."""
    post_save.connect(_region_saved, sender=Region, dispatch_uid="area_summary_region_saved")
    post_delete.connect(_changed, sender=Region, dispatch_uid="area_summary_region_deleted")
    post_save.connect(_organization_saved, sender=Organization, dispatch_uid="area_summary_organization_saved")
    post_delete.connect(_changed, sender=Organization, dispatch_uid="area_summary_organization_deleted")
    m2m_changed.connect(_areas_changed, sender=Organization.regions.through, dispatch_uid="area_summary_areas")
