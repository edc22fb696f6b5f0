"""The table of the database cache ("public" on the embedded default, where no
Redis is set), so that `migrate` alone prepares every process to share it."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor) -> None:
    # createcachetable skips tables that exist and caches that are not
    # database caches (Redis, when REDIS_URL is set).
    call_command(
        "createcachetable", database=schema_editor.connection.alias, verbosity=0
    )


class Migration(migrations.Migration):
    dependencies = [("ceop_crm", "0003_outbound_email_secrets")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
