"""The options every PostgreSQL connection is opened with (settings/base.py)."""

import os
import subprocess
import sys

import pytest
from django.db import connection

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL session settings"
)


@on_postgres
@pytest.mark.django_db
def test_connections_run_without_jit_compilation():
    # At 100,000 organisations JIT compiled the dashboard's headline statement
    # for 5.8 s to execute it in 0.8 s.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW pg_trgm.similarity_threshold")
        assert cursor.fetchone()[0] == "0.5"


@on_postgres
@pytest.mark.django_db
def test_connections_run_statements_without_parallel_workers():
    # At 100,000 organisations the Annual Review's rows took 13 ms in a
    # parallel plan (6 ms before the first row) and 3 ms in one process.
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_production_connections_get_the_same_options():
    environment = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "partners.example",
        "DATABASE_URL": "postgres://u@localhost/db",
    }
    code = (
        "import ceop_crm.settings.production as s; "
        "print(s.DATABASES['default']['OPTIONS']['options'])"
    )
    options = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "jit=off" in options
    assert "pg_trgm.similarity_threshold=0.5" in options
    assert "max_parallel_workers_per_gather=0" in options
