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
