"""Migration privacy/0006 builds the reminders' partial text indexes concurrently
and back again, and mends a half-built index left by an interrupted try.

Run outside a transaction, as `migrate` runs it (the migration is not atomic):
CREATE INDEX CONCURRENTLY refuses to run inside one.
"""

import importlib

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"
    ),
]

MIGRATION = importlib.import_module(
    "ceop_crm.privacy.migrations.0006_reminder_text_indexes_named_steps_only"
)
PREFIX = "privacy_trgm_planning_reminder_"


def _indexes() -> dict[str, tuple[str, bool]]:
    """Each reminder text index by name: its definition, and whether it is valid."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid), i.indisvalid "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname LIKE %s",
            [PREFIX + "%"],
        )
        return {name: (definition, valid) for name, definition, valid in cursor}


def _run(step) -> None:
    with connection.schema_editor(atomic=False) as schema_editor:
        step(None, schema_editor)


def _assert_partial(indexes, *, partial: bool) -> None:
    assert set(indexes) == {PREFIX + "title", PREFIX + "body"}
    for name, (definition, valid) in indexes.items():
        assert valid, name
        assert ("WHERE" in definition) is partial, definition
        assert "gin_trgm_ops" in definition
        if partial:
            assert "'review_due'" in definition
            assert "'approval_waiting'" in definition


def test_the_migration_is_not_atomic_so_it_can_build_concurrently():
    assert MIGRATION.Migration.atomic is False


def test_backwards_and_forwards_again_concurrently():
    _assert_partial(_indexes(), partial=True)  # as migrate left it

    _run(MIGRATION.backwards)
    _assert_partial(_indexes(), partial=False)

    _run(MIGRATION.forwards)
    _assert_partial(_indexes(), partial=True)


def test_a_half_built_index_from_an_interrupted_try_is_dropped_first():
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE INDEX "{PREFIX}title_new" ON planning_reminder (id)')

    _run(MIGRATION.forwards)

    _assert_partial(_indexes(), partial=True)
