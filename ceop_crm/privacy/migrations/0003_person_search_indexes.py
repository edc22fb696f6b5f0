"""Indexes that keep the person search off full scans (PostgreSQL only).

The search matches names by substring and emails exactly, case-insensitively,
as Django writes them: ``UPPER(col::text) LIKE UPPER('%…%')`` and
``UPPER(col::text) = UPPER('…')``. A trigram GIN index (pg_trgm) on
``UPPER(col::text)`` serves the first, a btree expression index the second, on
every place that holds a name, an address or free text naming people, and on
their history tables. Links to user accounts use the foreign keys' own
indexes. SQLite (development) has no such indexes and scans.

The list is copied here, not read from ceop_crm.privacy.sources: a migration
must not change when the code does. A test checks that every field declared
there has its index.
"""

from django.db import migrations

TRIGRAM = [
    ("ceop_crm_outboundemail", "to"),
    ("ceop_crm_outboundemail", "subject"),
    ("ceop_crm_outboundemail", "body_text"),
    ("partners_contact", "name"),
    ("partners_historicalcontact", "name"),
    ("partners_proposal", "contact_name"),
    ("partners_historicalproposal", "contact_name"),
    ("partners_proposal", "offer"),
    ("partners_historicalproposal", "offer"),
    ("partners_mou", "ceop_signatory"),
    ("partners_historicalmou", "ceop_signatory"),
    ("partners_mou", "partner_signatory"),
    ("partners_historicalmou", "partner_signatory"),
    ("partners_ownershiplevel", "name"),
    ("partners_historicalownershiplevel", "name"),
    ("partners_duediligence", "notes"),
    ("partners_historicalduediligence", "notes"),
    ("planning_reminder", "title"),
    ("planning_reminder", "body"),
]
EXACT = [
    ("auth_user", "email"),
    ("partners_contact", "email"),
    ("partners_historicalcontact", "email"),
    ("partners_proposal", "contact_email"),
    ("partners_historicalproposal", "contact_email"),
    ("partners_ownershiplevel", "email"),
    ("partners_historicalownershiplevel", "email"),
]


# A user's full name as the search builds it (Concat of first and last name,
# as Django writes it for PostgreSQL); a test checks the index is used.
USER_FULL_NAME = (
    "UPPER((COALESCE(first_name, '')::text "
    "|| COALESCE((' '::text || (COALESCE(last_name, ''))::text), ''::text)))"
)


def _name(table: str, column: str, kind: str) -> str:
    return f"privacy_{kind}_{table}_{column}"[:63]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    quote = schema_editor.quote_name
    for table, column in TRIGRAM:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(_name(table, column, 'trgm'))} "
            f"ON {quote(table)} USING gin ((UPPER({quote(column)}::text)) gin_trgm_ops)"
        )
    for table, column in EXACT:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(_name(table, column, 'upper'))} "
            f"ON {quote(table)} ((UPPER({quote(column)}::text)))"
        )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS privacy_trgm_auth_user_full_name "
        f"ON auth_user USING gin (({USER_FULL_NAME}) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    schema_editor.execute("DROP INDEX IF EXISTS privacy_trgm_auth_user_full_name")
    for kind, pairs in (("trgm", TRIGRAM), ("upper", EXACT)):
        for table, column in pairs:
            schema_editor.execute(
                f"DROP INDEX IF EXISTS {quote(_name(table, column, kind))}"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_data_protection_officer_and_defaults"),
        ("ceop_crm", "0001_initial"),
        ("partners", "0002_initial"),
        ("planning", "0005_review_scheduled_org_due_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
