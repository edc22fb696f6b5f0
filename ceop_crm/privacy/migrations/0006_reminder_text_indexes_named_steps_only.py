"""The reminder texts' search indexes hold only the reminders whose words can
name a person (PostgreSQL only).

The sweep writes the texts of reviews, MoUs, due diligence, associations at
risk and tier moves awaiting approval from organisations' names, levels and
dates: they name nobody, and the person search no longer reads them
(planning/personal_data.py, UNNAMED_STEPS). Their words in the two trigram
indexes cost the sweep half its time at 100,000 organisations. The indexes are
made again as partial indexes over the other steps: the search's condition
carries the same predicate, so PostgreSQL still reads them.

The steps are copied here, not imported: a migration must not change when the
code does. A test checks the list is the code's and the plan reads the index.

Each index is built beside the old one with CREATE INDEX CONCURRENTLY, then the
old one is dropped the same way and the new one takes its name: the sweep and
the person search go on writing and reading the reminders while it builds. So
the migration is not atomic; run again after an interruption, it first drops a
half-built index left by the last try.
"""

from django.db import migrations

UNNAMED_STEPS = (
    "review_upcoming",
    "review_due",
    "review_overdue",
    "review_escalated",
    "mou_ending_90",
    "mou_ending_30",
    "mou_ending_7",
    "mou_ended",
    "dd_ending_90",
    "dd_ending_30",
    "dd_ending_7",
    "association_at_risk",
    "approval_waiting",
)
COLUMNS = ("title", "body")


def _name(column: str) -> str:
    return f"privacy_trgm_planning_reminder_{column}"


def _create(schema_editor, *, partial: bool) -> None:
    quote = schema_editor.quote_name
    steps = ", ".join(f"'{step}'" for step in UNNAMED_STEPS)
    where = f" WHERE NOT ({quote('step')} IN ({steps}))" if partial else ""
    for column in COLUMNS:
        name, building = quote(_name(column)), quote(f"{_name(column)}_new")
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {building}")
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY {building} ON {quote('planning_reminder')} "
            f"USING gin ((UPPER({quote(column)}::text)) gin_trgm_ops){where}"
        )
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
        schema_editor.execute(f"ALTER INDEX {building} RENAME TO {name}")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _create(schema_editor, partial=True)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _create(schema_editor, partial=False)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [
        ("privacy", "0005_person_search_indexes_activities"),
        ("planning", "0005_review_scheduled_org_due_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
