"""ceop_list_count(query, exact_below): the number of rows of a list in one
statement, on PostgreSQL. The planner's estimate when it is at least
``exact_below`` (a large list is never counted row by row), else the exact
count (ceop_crm/admin_scale.py). Nothing on other databases."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION ceop_list_count(query text, exact_below bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    plan json;
    estimate bigint;
    counted bigint;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
    estimate := (plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
    IF estimate >= exact_below THEN
        RETURN estimate;
    END IF;
    EXECUTE 'SELECT count(*) FROM (' || query || ') AS listed' INTO counted;
    RETURN counted;
END
$$;
"""

DROP = "DROP FUNCTION IF EXISTS ceop_list_count(text, bigint);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("ceop_crm", "0006_outboundemail_unsent_id_index")]

    operations = [migrations.RunPython(create, drop)]
