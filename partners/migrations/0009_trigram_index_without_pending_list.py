"""The trigram index of normalised names takes new names into its main structure
at once (``fastupdate = off``) on PostgreSQL.

With GIN's fast update on, new entries wait in a pending list, read in full by
every search until a vacuum moves them: after an import of a few thousand
organisations each duplicate check read thousands of pending entries. Names
are added rarely and looked up at every creation, so each insert pays instead.
On any other database this does nothing.
"""

from django.db import migrations

INDEX = "partners_organisation_name_key_trgm"


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER INDEX {INDEX} SET (fastupdate = off)")
    # Turning it off keeps what already waits: move that into the index.
    schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [INDEX])


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER INDEX {INDEX} RESET (fastupdate)")


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0008_contribution_party"),
    ]

    operations = [
        migrations.RunPython(without_pending_list, with_pending_list),
    ]
