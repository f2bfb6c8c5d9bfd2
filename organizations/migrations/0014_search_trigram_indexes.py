"""Trigram indexes for the site search on PostgreSQL (pg_trgm); nothing on SQLite.

The search matches with `icontains`, which PostgreSQL runs as UPPER(column) LIKE UPPER('%…%'): a GIN
index of UPPER(column) with gin_trgm_ops answers it without reading every row, for Japanese as for
Latin text (a query of three characters or more; a shorter one has no trigram and is read row by row,
as before). The model state does not know these indexes: they exist only where the database has them.
"""

from django.db import migrations

# (index name, table, column)
INDEXES = [
    ("region_name_trgm", "organizations_region", "name"),
    ("region_kana_trgm", "organizations_region", "name_kana"),
    ("organization_name_trgm", "organizations_organization", "name"),
    ("organization_kana_trgm", "organizations_organization", "name_kana"),
    ("organization_predecessor_trgm", "organizations_organization", "predecessor"),
    ("organization_description_trgm", "organizations_organization", "description"),
    ("faq_question_trgm", "organizations_faq", "question"),
    ("faq_answer_trgm", "organizations_faq", "answer"),
    ("casestudy_title_trgm", "organizations_casestudy", "title"),
    ("casestudy_summary_trgm", "organizations_casestudy", "summary"),
    ("casestudy_body_trgm", "organizations_casestudy", "body"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("organizations", "0013_page_blocks_home_what_grants_how_and_glossary_labels")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
