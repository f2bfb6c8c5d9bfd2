"""@prepared: a queryset's SQL built once per process, each call's values put where its arguments go."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext, override_settings
from model_bakery import baker

from niimi_portal.lib.prepared import (
    PreparedPages,
    PreparedQueryError,
    as_prefetched,
    one_or_none,
    prepared,
    with_total,
)
from organizations.models import Organization, Region, RegionStatistic


@pytest.fixture
def areas(db):
    town = baker.make(Region, name="新見", name_kana="にいみ", kind="town", slug="niimi")
    return [
        baker.make(Region, name=name, name_kana=kana, kind="oaza", slug=slug, parent=town)
        for name, kana, slug in [
            ("唐松", "からまつ", "karamatsu"),
            ("広瀬", "ひろせ", "hirose"),
            ("50%_区", "ごじゅう", "x"),
        ]
    ]


@pytest.fixture
def compiles(monkeypatch):
    """How many times Django compiled a query's SQL."""
    count = [0]
    original = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        count[0] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    return count


@prepared
def area_by_slug(slug):
    return Region.objects.filter(slug=slug).select_related("parent")


@prepared
def areas_named(names):
    return Region.objects.filter(name__in=names).order_by("name_kana")


@prepared
def names_containing(text):
    return Region.objects.filter(name__contains=text).values_list("name", flat=True)


@prepared
def statistics_since(region_id, day):
    return RegionStatistic.objects.filter(region=region_id, reference_date__gte=day).order_by("reference_date")


@override_settings(PREPARED_QUERIES_CHECK=False)
def test_the_sql_is_built_once_and_each_call_gets_its_own_rows(areas, compiles):
    area_by_slug.forget()
    first = area_by_slug("karamatsu")
    built = compiles[0]
    assert built == 2  # from two sets of markers, to find where the argument goes
    with CaptureQueriesContext(connection) as queries:
        assert area_by_slug("hirose") == [areas[1]]
        assert area_by_slug("none") == []
    assert compiles[0] == built  # nothing built again
    assert len(queries) == 2
    assert first == [areas[0]] and first[0].parent.slug == "niimi"  # select_related kept


@override_settings(PREPARED_QUERIES_CHECK=False)
def test_lists_dates_and_like_patterns_take_each_calls_values(areas):
    assert [a.name for a in areas_named(["広瀬", "唐松"])] == ["唐松", "広瀬"]
    assert [a.name for a in areas_named(["広瀬"])] == ["広瀬"]
    assert [a.name for a in areas_named(["広瀬", "広瀬", "唐松"])] == ["唐松", "広瀬"]
    assert areas_named([]) == []
    assert names_containing("松") == ["唐松"]
    assert names_containing("%") == ["50%_区"]  # escaped as LIKE would be, not a wildcard
    assert names_containing("_") == ["50%_区"]
    assert names_containing("瀬") == ["広瀬"]
    for day in (datetime.date(2025, 4, 1), datetime.date(2026, 4, 1)):
        baker.make(RegionStatistic, region=areas[0], reference_date=day, population=10, households=5)
    assert [s.reference_date.year for s in statistics_since(areas[0].pk, datetime.date(2026, 1, 1))] == [2026]
    assert len(statistics_since(areas[0].pk, datetime.date(2020, 1, 1))) == 2
    assert statistics_since(areas[1].pk, datetime.date(2020, 1, 1)) == []


def test_a_value_made_from_an_argument_is_refused_at_the_first_call(areas):
    @prepared
    def named_in_capitals(name):
        return Region.objects.filter(name=name.upper())

    with pytest.raises(PreparedQueryError, match="made from an argument"):
        named_in_capitals("karamatsu")

    @prepared
    def of_year(year):
        return RegionStatistic.objects.filter(reference_date__year=year)  # the markers are no years

    with pytest.raises(PreparedQueryError, match="cannot be built from marker values"):
        of_year(2026)


def test_a_prefetch_is_refused(areas):
    @prepared
    def with_children(slug):
        return Region.objects.filter(slug=slug).prefetch_related("children")

    with pytest.raises(PreparedQueryError, match="may not prefetch"):
        with_children("niimi")


def test_in_the_tests_a_builder_reading_something_else_than_its_arguments_fails(areas, settings):
    settings.PREPARED_QUERIES_CHECK = True
    wanted = {"kind": "oaza"}

    @prepared
    def of_kind(slug):
        return Region.objects.filter(slug=slug, kind=wanted["kind"])

    assert of_kind("karamatsu") == [areas[0]]
    wanted["kind"] = "town"  # read from outside: the SQL kept still says oaza
    with pytest.raises(PreparedQueryError, match="reads something besides its arguments"):
        of_kind("niimi")


def test_the_first_fixed_arguments_shape_the_sql_and_other_kinds_are_built_as_usual(areas):
    @prepared(fixed=1)
    def by_field(field, text):
        return Region.objects.filter(**{field: text})

    assert by_field("slug", "hirose") == [areas[1]]
    assert by_field("name", "広瀬") == [areas[1]]
    assert by_field("name_kana", "からまつ") == [areas[0]]
    assert area_by_slug(None) == []  # None is not prepared: built as usual


def test_one_or_none():
    assert one_or_none([]) is None
    assert one_or_none(["a"]) == "a"


def test_rows_given_as_prefetched_need_no_query_and_the_manager_still_filters(areas):
    organization = baker.make(Organization, name="唐松の会", slug="karamatsu-kai")
    organization.regions.set(areas[:2])
    organization = Organization.objects.get(pk=organization.pk)
    as_prefetched(organization, "regions", [areas[1]])
    with CaptureQueriesContext(connection) as queries:
        assert list(organization.regions.all()) == [areas[1]]
    assert len(queries) == 0
    assert set(organization.regions.filter(kind="oaza")) == set(areas[:2])  # a new query, on the real relation
    town = Region.objects.get(slug="niimi")
    as_prefetched(town, "children", [areas[0]])  # a reverse foreign key
    with CaptureQueriesContext(connection) as queries:
        assert list(town.children.all()) == [areas[0]]
    assert len(queries) == 0


@prepared(fixed=2)
def area_page(offset, limit):
    return with_total(Region.objects.exclude(kind="town").order_by("name_kana"))[offset : offset + limit]


def test_a_page_and_the_count_of_all_come_from_one_query(areas):
    with CaptureQueriesContext(connection) as queries:
        page = Paginator(PreparedPages(area_page, "2", 2), 2).get_page("2")
        assert [a.name for a in page.object_list] == ["広瀬"]
        assert page.paginator.count == 3 and page.paginator.num_pages == 2
    assert len(queries) == 1


def test_a_page_past_the_end_or_not_a_number_gives_the_pages_a_paginator_would(areas):
    for asked, names in (
        ("9223372036854775807", ["広瀬"]),
        ("9", ["広瀬"]),
        ("x", ["唐松", "50%_区"]),
        ("0", ["広瀬"]),
        (None, ["唐松", "50%_区"]),
    ):
        page = Paginator(PreparedPages(area_page, asked, 2), 2).get_page(asked)
        assert [a.name for a in page.object_list] == names, asked
    Region.objects.exclude(kind="town").delete()
    page = Paginator(PreparedPages(area_page, "3", 2), 2).get_page("3")
    assert list(page.object_list) == [] and page.paginator.count == 0


def test_a_count_given_is_used_and_only_pages_are_given(areas):
    pages = PreparedPages(area_page, 1, 2, count=lambda: 41)
    assert Paginator(pages, 2).get_page(1).paginator.count == 41
    with pytest.raises(TypeError):
        pages[0]


def test_postgresql_keeps_each_prepared_querys_plan_but_plans_a_pattern_for_its_text(areas):
    area_by_slug.forget()
    names_containing.forget()
    assert area_by_slug("hirose") == [areas[1]]
    assert area_by_slug("karamatsu") == [areas[0]]
    assert names_containing("松") == ["唐松"]

    @prepared(fixed=1, plan_patterns=lambda field: field == "name_kana")
    def containing(field, text):
        return Region.objects.filter(**{f"{field}__contains": text}).values_list("slug", flat=True)

    assert containing("name", "松") == ["karamatsu"]
    assert containing("name_kana", "ろせ") == ["hirose"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            statements = [row[0] for row in cursor.fetchall()]
        assert any('"organizations_region"."slug" = $1' in statement for statement in statements)
        likes = [statement for statement in statements if "LIKE" in statement]
        # A plan for every pattern is poor, unless the query says otherwise.
        assert likes and all('"name_kana"' in statement for statement in likes)
    else:  # SQLite plans each statement itself: the query runs as Django runs it
        assert connection.vendor == "sqlite"
