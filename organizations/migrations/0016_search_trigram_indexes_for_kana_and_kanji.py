"""Trigram indexes of the columns as they are, beside 0014's of UPPER(column), on PostgreSQL; nothing on
SQLite.

A query in kanji or かな has no upper or lower case, and the search matches it with `contains`
(organizations.search.contains_lookup): PostgreSQL runs that as column LIKE '%…%', with no UPPER() over
every row, and these indexes answer it (three characters or more). Letters keep `icontains` and 0014's
indexes. The model state does not know these indexes: they exist only where the database has them.
"""

import importlib

from django.db import migrations

# The same columns as 0014, each index named *_raw_trgm.
INDEXES = [
    (name.replace("_trgm", "_raw_trgm"), table, column)
    for name, table, column in importlib.import_module(
        "organizations.migrations.0014_search_trigram_indexes"
    ).INDEXES
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops)')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("organizations", "0015_region_stored_town_and_stage")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
