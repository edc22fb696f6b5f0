"""The person search's exact-address index on the two mail tables that keep an
address: refusals by the mail server and opt-outs of addresses without an
account (PostgreSQL only; see 0003_person_search_indexes).

Their own unique indexes are on the column as stored, while the search compares
``UPPER(address::text)``; the list is copied here, as in 0003.
"""

from django.db import migrations

EXACT = [
    ("ceop_crm_emailbounce", "address"),
    ("planning_addressoptout", "address"),
]


def _name(table: str, column: str) -> str:
    return f"privacy_upper_{table}_{column}"[:63]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for table, column in EXACT:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(_name(table, column))} "
            f"ON {quote(table)} ((UPPER({quote(column)}::text)))"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for table, column in EXACT:
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(_name(table, column))}")


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0003_person_search_indexes"),
        ("ceop_crm", "0005_outbound_email_headers_attachments_bounces"),
        ("planning", "0013_email_settings_and_address_opt_outs"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
