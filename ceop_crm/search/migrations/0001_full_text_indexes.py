"""GIN indexes of the global search's full-text expressions (PostgreSQL only).

Built from ``ceop_crm.search.vectors`` as the selectors build their queries, so
the planner matches them. The list is copied here, not imported, so this
migration does not change when the code does; a test checks both agree.
SQLite (the embedded default) has no such indexes and scans.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

FULL_TEXT = [
    ("partners", "Organisation", "name", "search_organisation_name_fts"),
    ("partners", "Contact", "name", "search_contact_name_fts"),
    ("partners", "MoU", "title", "search_mou_title_fts"),
    ("partners", "Proposal", "title", "search_proposal_title_fts"),
    ("partners", "RelationshipIssue", "title", "search_issue_title_fts"),
    ("activities", "Activity", "summary", "search_activity_summary_fts"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model_name, field, name in FULL_TEXT:
        model = apps.get_model(app_label, model_name)
        index = GinIndex(SearchVector(field, config="simple"), name=name)
        schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for *_, name in FULL_TEXT:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0007_trigram_index_on_name_key"),
        ("activities", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
