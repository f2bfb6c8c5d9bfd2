"""The tree of areas and the one rule for an 活動区域's population and households.

An organization's 活動区域 is any set of areas at any level (Q3: the area chooses the unit that suits
it). Its figures come from the lowest units that have them: an area counts as the sum of its children
when every child has figures (recursively), else by its own figures. An area chosen together with an
area above it is inside it already and is never counted twice.

`AreaTree` loads every area and the statistics of one reference date in two queries, so the grant
calculation of every organization costs the same as one. `population_of` is the short form for one
set of areas; the grant calculation (grants/calculation.py) and the public estimate both use it.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from typing import NamedTuple

from django.db import connection
from django.db.models import Q

from organizations.models import Region, RegionStatistic


@dataclass(frozen=True)
class Figures:
    """Population and households of a set of areas at a reference date, or which areas lack figures."""

    population: int = 0
    households: int = 0
    reference_date: object = None
    is_demo: bool = False
    missing: tuple[str, ...] = field(default_factory=tuple)  # names of areas with no figures at the date
    source: str = ""

    @property
    def complete(self):
        return not self.missing


@dataclass
class _Node:
    id: int
    parent_id: int | None
    name: str
    kind: str
    children: list = field(default_factory=list)
    statistic: object = None


class _Statistic(NamedTuple):
    """One area's figures at a reference date, as the area's page and the grant read them."""

    reference_date: date
    population: int
    households: int
    is_demo: bool
    source: str


def _as_date(value):
    """SQLite's driver gives a raw query's dates as text."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _subtree_sql(count, exact):
    """The query of `AreaTree._load_within` for `count` area ids and a reference date (parameters, in that
    order): each area under them once, with its statistics at the date (or up to it), the latest last."""
    quote = connection.ops.quote_name
    region, statistic = quote(Region._meta.db_table), quote(RegionStatistic._meta.db_table)
    placeholders = ", ".join(["%s"] * count)
    date_test = "=" if exact else "<="
    # Only table names from the models' Meta and fixed text are spliced; every value is a parameter.
    if connection.vendor == "postgresql":
        # PostgreSQL guesses a recursive query finds a thousand rows and hashes both tables whole
        # (1.7 ms for one 大字); LATERAL ... OFFSET 0 makes it follow the indexes from the rows found
        # (0.2 ms; a 旧市町 of 1,700 areas takes 1 ms more).
        return f"""
            WITH RECURSIVE tree(id, parent_id, name, kind, position, name_kana) AS (
                SELECT id, parent_id, name, kind, {quote("order")}, name_kana FROM {region}
                WHERE id IN ({placeholders})
                UNION SELECT child.id, child.parent_id, child.name, child.kind, child.{quote("order")},
                             child.name_kana
                FROM tree, LATERAL (SELECT * FROM {region} c WHERE c.parent_id = tree.id OFFSET 0) child
            )
            SELECT t.id, t.parent_id, t.name, t.kind,
                   s.reference_date, s.population, s.households, s.is_demo, s.source
            FROM tree t
            LEFT JOIN LATERAL (
                SELECT * FROM {statistic} WHERE region_id = t.id AND reference_date {date_test} %s OFFSET 0
            ) s ON true
            ORDER BY t.position, t.name_kana, t.id, s.reference_date
        """  # noqa: S608  # nosec B608
    return f"""
        WITH RECURSIVE tree(id) AS (
            SELECT id FROM {region} WHERE id IN ({placeholders})
            UNION SELECT child.id FROM {region} child JOIN tree ON child.parent_id = tree.id
        )
        SELECT r.id, r.parent_id, r.name, r.kind,
               s.reference_date, s.population, s.households, s.is_demo, s.source
        FROM tree
        JOIN {region} r ON r.id = tree.id
        LEFT JOIN {statistic} s ON s.region_id = r.id AND s.reference_date {date_test} %s
        ORDER BY r.{quote("order")}, r.name_kana, r.id, s.reference_date
    """  # noqa: S608  # nosec B608


class AreaTree:
    """Every area with its children and its statistic at `on` (or the latest before it with exact=False)."""

    def __init__(self, nodes, reference_date, exact=True):
        self.nodes = nodes
        self.reference_date = reference_date
        self.exact = exact

    @classmethod
    def load(cls, *, on=None, exact=True, within=None):
        """The tree, or with `within` (area ids) only those areas and the areas under them: an area's
        figures need nothing above it, so one area's page need not read the whole city."""
        if within is not None and on is not None:
            return cls._load_within(within, on, exact)
        regions = Region.objects.all() if within is None else subtree(within)
        nodes = _linked(_area_rows(regions))
        statistics = RegionStatistic.objects.all()
        if within is not None:
            statistics = statistics.filter(region__in=subtree(within).values("pk"))
        if on is None:
            latest = statistics.order_by("-reference_date").values_list("reference_date", flat=True).first()
            statistics = statistics.filter(reference_date=latest)
            on = latest
        elif exact:
            statistics = statistics.filter(reference_date=on)
        else:
            statistics = statistics.filter(reference_date__lte=on).order_by("region_id", "reference_date")
        # Plain rows, not model instances: the whole city is thousands of areas.
        for region_id, *figures in statistics.values_list(
            "region_id", "reference_date", "population", "households", "is_demo", "source"
        ):
            if region_id in nodes:
                nodes[region_id].statistic = _Statistic(*figures)  # with exact=False the latest comes last
        return cls(nodes, on, exact)

    @classmethod
    def load_each(cls, dates):
        """{date: the whole tree with the statistics of that very date} for each of `dates`, the areas
        read once and the statistics of every date in one query (a page that checks several years)."""
        dates = set(dates)
        if not dates:
            return {}
        rows = _area_rows(Region.objects.all())
        trees = {on: cls(_linked(rows), on) for on in dates}
        for region_id, *figures in RegionStatistic.objects.filter(reference_date__in=dates).values_list(
            "region_id", "reference_date", "population", "households", "is_demo", "source"
        ):
            node = trees[figures[0]].nodes.get(region_id)
            if node is not None:
                node.statistic = _Statistic(*figures)
        return trees

    @classmethod
    def _load_within(cls, within, on, exact):
        """The areas `within` and those under them with their statistics at `on`, in one query (a
        recursive CTE, written for each database's planner): an area's page asks for this on every
        render, and the ORM would build two nested subqueries of four levels to say the same."""
        ids = [int(pk) for pk in within]
        if not ids:
            return cls({}, on, exact)
        nodes = {}
        with connection.cursor() as cursor:
            cursor.execute(_subtree_sql(len(ids), exact), [*ids, on])
            for pk, parent_id, name, kind, reference_date, population, households, is_demo, source in cursor:
                node = nodes.get(pk)
                if node is None:
                    node = nodes[pk] = _Node(pk, parent_id, name, kind)
                if reference_date is not None:  # the latest comes last
                    node.statistic = _Statistic(_as_date(reference_date), population, households, bool(is_demo), source)
        for node in nodes.values():
            if node.parent_id in nodes:
                nodes[node.parent_id].children.append(node)
        return cls(nodes, on, exact)

    def ancestor_ids(self, region_id):
        ids, node = [], self.nodes.get(region_id)
        while node is not None and node.parent_id is not None and len(ids) < 8:
            ids.append(node.parent_id)
            node = self.nodes.get(node.parent_id)
        return ids

    def descendant_ids(self, region_id):
        ids, stack = [], list(self.nodes[region_id].children) if region_id in self.nodes else []
        while stack:
            node = stack.pop()
            ids.append(node.id)
            stack.extend(node.children)
        return ids

    def outermost(self, region_ids):
        """The chosen areas that no other chosen area contains."""
        chosen = set(region_ids)
        return [pk for pk in dict.fromkeys(region_ids) if pk in self.nodes and chosen.isdisjoint(self.ancestor_ids(pk))]

    def _figures(self, node):
        """Figures of one area by the lowest-units rule."""
        if node.children:
            parts = [self._figures(child) for child in node.children]
            if all(part.complete for part in parts):
                return _sum(parts)
            if node.statistic is None:
                return Figures(missing=tuple(name for part in parts for name in part.missing))
        if node.statistic is None:
            return Figures(missing=(node.name,))
        statistic = node.statistic
        return Figures(
            statistic.population,
            statistic.households,
            statistic.reference_date,
            statistic.is_demo,
            (),
            statistic.source,
        )

    def figures(self, region_ids):
        figures = _sum([self._figures(self.nodes[pk]) for pk in self.outermost(region_ids)])
        if self.exact:
            figures = replace(figures, reference_date=self.reference_date)
        return figures


def _area_rows(regions):
    """(pk, parent id, name, kind) of `regions` in the tree's order."""
    return list(regions.order_by("order", "name_kana", "pk").values_list("pk", "parent_id", "name", "kind"))


def _linked(rows):
    """{pk: node} of the area rows, each node with its children."""
    nodes = {pk: _Node(pk, parent_id, name, kind) for pk, parent_id, name, kind in rows}
    for node in nodes.values():
        if node.parent_id in nodes:
            nodes[node.parent_id].children.append(node)
    return nodes


def _sum(parts):
    dates = [part.reference_date for part in parts if part.reference_date]
    sources = dict.fromkeys(part.source for part in parts if part.source)
    return Figures(
        population=sum(part.population for part in parts),
        households=sum(part.households for part in parts),
        reference_date=max(dates) if dates else None,
        is_demo=any(part.is_demo for part in parts),
        missing=tuple(name for part in parts for name in part.missing),
        source="・".join(sources),
    )


def subtree(region_ids):
    """The areas `region_ids` and every area under them (the tree is at most len(Region.LEVELS) deep)."""
    region_ids = list(region_ids)
    # Each level as a subquery on the parent's index (not joins up the tree, which read every area).
    condition, level = Q(pk__in=region_ids), region_ids
    for _ in range(len(Region.LEVELS) - 1):
        condition |= Q(parent_id__in=level)
        level = Region.objects.filter(parent_id__in=level).values("pk")
    return Region.objects.filter(condition)


def population_of(regions, *, on=None, exact=True):
    """Population and households of a set of areas (any levels) at `on`: the rule in the module docstring.

    `regions` are Region objects or their ids. With `exact` (the grant) only statistics of that very
    reference date count; without it (a page), each area's latest statistic on or before `on`."""
    ids = [getattr(region, "pk", region) for region in regions]
    return AreaTree.load(on=on, exact=exact, within=ids).figures(ids)


def covering_ids(region):
    """The area and every area above it: an organization working in any of them works here."""
    ids, node = [region.pk], region
    while node.parent_id is not None and len(ids) <= len(Region.LEVELS):
        ids.append(node.parent_id)
        node = node.parent
    return ids
