"""Trigram indexes for the admin's searches (PostgreSQL only).

The admin searches a column as Django writes it, ``UPPER(col::text) LIKE
UPPER('%…%')`` (``=``: an exact match, ``UPPER(col::text) = UPPER('…')``); a
trigram GIN index on ``UPPER(col::text)`` serves both, so no change list search
reads a whole table. The columns the person search indexed already
(privacy.0003) are not repeated. The list is copied here, not read from the
admin classes: a migration must not change when the code does; a test checks
that every search field of every ModelAdmin has its index.
"""

from django.db import migrations

TRIGRAM = [
    ("api_apitoken", "name"),
    ("api_apitoken", "prefix"),
    ("auth_group", "name"),
    ("auth_user", "username"),
    ("auth_user", "first_name"),
    ("auth_user", "last_name"),
    ("axes_accessattempt", "username"),
    ("axes_accessattempt", "ip_address"),
    ("axes_accessfailurelog", "username"),
    ("axes_accessfailurelog", "ip_address"),
    ("axes_accesslog", "username"),
    ("axes_accesslog", "ip_address"),
    ("partners_contribution", "title"),
    ("partners_importjob", "file_name"),
    ("partners_mou", "title"),
    ("partners_organisation", "name"),
    ("partners_organisation", "website"),
    ("partners_organisationmerge", "merged_name"),
    ("partners_proposal", "title"),
    ("partners_relationshipissue", "title"),
    ("planning_milestone", "name"),
    ("planning_milestonetemplate", "name"),
    ("planning_planningyear", "label"),
    ("priorities_centreplanobjective", "code"),
    ("priorities_centreplanobjective", "title"),
    ("priorities_objective", "code"),
    ("priorities_principle", "title"),
    ("priorities_priorityarea", "title"),
    ("priorities_threat", "title"),
    ("tiers_benefit", "text"),
    ("tiers_keycharacteristic", "text"),
    ("tiers_tierlevel", "code"),
    ("tiers_tierlevel", "name"),
]


def _name(table: str, column: str) -> str:
    return f"admin_trgm_{table}_{column}"[:63]


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
    for table, column in TRIGRAM:
        schema_editor.execute(
            f"DROP INDEX IF EXISTS {schema_editor.quote_name(_name(table, column))}"
        )


class Migration(migrations.Migration):
    # partners.0008 brings the tables of tiers, planning and priorities with it.
    # No more dependencies than the tables need: one on a later app (privacy,
    # tiers) would reorder a fresh database's plan and run planning's early
    # migrations before the staff groups are given their permissions.
    dependencies = [
        ("api", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("axes", "0010_accessattemptexpiration"),
        ("partners", "0010_report_download"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
