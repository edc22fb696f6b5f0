"""A trigram index on contacts' email addresses (PostgreSQL only).

The organisation list's search matches a contact's email by substring, as
Django writes it, ``UPPER(email::text) LIKE UPPER('%…%')``; the btree on
``UPPER(email)`` (privacy.0003) serves exact matches only, so without this
index every search read the whole contacts table.
"""

from django.db import migrations

INDEX = "partners_contact_email_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON partners_contact "
        "USING gin ((UPPER(email::text)) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0013_report_download_list_query"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
