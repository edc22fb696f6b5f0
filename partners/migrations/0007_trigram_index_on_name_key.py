"""Trigram similarity of normalised names (duplicate detection) on PostgreSQL.

Enables pg_trgm and indexes name_key with a GIN trigram index. On any other
database (the embedded SQLite default) both steps do nothing: duplicate
detection falls back to comparing a prefix-narrowed set of names in Python.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "partners_organisation_name_key_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON partners_organisation "
        "USING gin (name_key gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0006_organisation_merge_and_import"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
