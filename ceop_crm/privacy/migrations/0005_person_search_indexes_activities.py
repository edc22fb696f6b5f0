"""The person search's trigram index on activities' summaries, current and
historical (PostgreSQL only; see 0003_person_search_indexes): the search
matches a name anywhere in ``UPPER(summary)``.
"""

from django.db import migrations

TRIGRAM = [
    ("activities_activity", "summary"),
    ("activities_historicalactivity", "summary"),
]


def _name(table: str, column: str) -> str:
    return f"privacy_trgm_{table}_{column}"[:63]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    quote = schema_editor.quote_name
    for table, column in TRIGRAM:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(_name(table, column))} "
            f"ON {quote(table)} USING gin ((UPPER({quote(column)}::text)) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for table, column in TRIGRAM:
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(_name(table, column))}")


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0004_person_search_indexes_bounces_opt_outs"),
        ("activities", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
