"""The site search's trigram indexes (organizations/migrations/0014 of UPPER(column), 0016 of the column):
on PostgreSQL they exist and the search's own SQL can use them (`contains` for kanji and かな, `icontains`
for letters); on SQLite there are none and the search works as before."""

import importlib

import pytest
from django.db import connection
from model_bakery import baker

from niimi_portal.search import REGION_FIELDS
from organizations.models import Region
from organizations.search import contains_lookup, matching_words, words

pytestmark = pytest.mark.django_db

INDEXES = [
    *importlib.import_module("organizations.migrations.0014_search_trigram_indexes").INDEXES,
    *importlib.import_module("organizations.migrations.0016_search_trigram_indexes_for_kana_and_kanji").INDEXES,
]


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


def plan_of(found):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: make the planner show its options
        return found.explain()


def test_a_search_of_three_characters_or_more_can_use_the_index_on_postgresql():
    town = baker.make(Region, kind=Region.Kind.FORMER_TOWN, name="新見", name_kana="にいみ", slug="niimi-t")
    school = Region.Kind.SCHOOL_DISTRICT
    baker.make(Region, kind=school, parent=town, name="唐松", name_kana="からまつ", slug="karamatsu-t")
    found = Region.objects.filter(matching_words(REGION_FIELDS, words("からまつ")))
    assert list(found.values_list("name", flat=True)) == ["唐松"]
    if connection.vendor == "postgresql":
        plan = plan_of(found)
        assert "region_kana_raw_trgm" in plan
        assert "region_name_raw_trgm" in plan
        assert "upper" not in plan.lower()  # かな has no case: no UPPER() over every row


def test_letters_match_whatever_their_case_and_can_use_the_upper_index():
    town = baker.make(Region, kind=Region.Kind.FORMER_TOWN, name="新見", name_kana="にいみ", slug="niimi-t")
    baker.make(Region, kind=Region.Kind.OAZA, parent=town, name="NPO村", name_kana="えぬぴーおーむら", slug="npo-t")
    found = Region.objects.filter(matching_words(REGION_FIELDS, words("npo")))
    assert list(found.values_list("slug", flat=True)) == ["npo-t"]
    if connection.vendor == "postgresql":
        assert "region_name_trgm" in plan_of(found)


def test_kanji_and_kana_are_matched_without_case_letters_with_it():
    assert contains_lookup("唐松") == contains_lookup("からまつ") == contains_lookup("カラマツ") == "contains"
    assert contains_lookup("npo") == contains_lookup("NPO法人") == "icontains"
