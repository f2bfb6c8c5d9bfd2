"""The site search's trigram indexes (organizations/migrations/0014): on PostgreSQL they exist and the
search's own `icontains` SQL can use them; on SQLite there are none and the search works as before."""

import importlib

import pytest
from django.db import connection
from model_bakery import baker

from organizations.models import Region
from organizations.search import REGION_FIELDS, matching

pytestmark = pytest.mark.django_db

INDEXES = importlib.import_module("organizations.migrations.0014_search_trigram_indexes").INDEXES


def index_names():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%\\_trgm"])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE %s", ["%trgm"])
        return {row[0] for row in cursor.fetchall()}


def test_the_trigram_indexes_exist_on_postgresql_only():
    expected = {name for name, _, _ in INDEXES} if connection.vendor == "postgresql" else set()
    assert index_names() == expected


def test_a_search_of_three_characters_or_more_can_use_the_index_on_postgresql():
    town = baker.make(Region, kind=Region.Kind.FORMER_TOWN, name="新見", name_kana="にいみ", slug="niimi-t")
    school = Region.Kind.SCHOOL_DISTRICT
    baker.make(Region, kind=school, parent=town, name="唐松", name_kana="からまつ", slug="karamatsu-t")
    found = Region.objects.filter(matching(REGION_FIELDS, "からまつ"))
    assert list(found.values_list("name", flat=True)) == ["唐松"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: make the planner show its options
            plan = found.explain()
        assert "region_kana_trgm" in plan
        assert "region_name_trgm" in plan
