"""`make bench`'s set-up: the data sets' databases, the server's environment, gunicorn."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from bench_http import HOST

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def size_label(orgs: int) -> str:
    return f"{orgs // 1000}k" if orgs % 1000 == 0 else str(orgs)


# --- Environment and processes ---------------------------------------------------


def server_env(database_url: str, static_root: str, secret: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CEOP_")) and k not in ("DATABASE_URL",)
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ceop_crm.settings.production",
        DJANGO_SECRET_KEY=secret,
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="False",
        DJANGO_BENCH_VIEWS="True",
        DJANGO_STATIC_ROOT=static_root,
        # The throttle still runs (and counts) but never refuses the benchmark.
        DJANGO_API_THROTTLE_RATE="100000000/min",
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
    )
    # Pages never wait on the broker; without Redis the filesystem broker is used.
    env.pop("REDIS_URL", None)
    return env


def manage(
    env: dict[str, str], *args: str, capture: bool = False, quiet: bool = False
) -> str:
    """Run manage.py; ``capture`` returns its output, ``quiet`` drops its errors."""
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.DEVNULL if quiet else None,
    )
    return result.stdout or ""


def recreate_database(base_url: str, name: str) -> None:
    import psycopg2

    parts = urllib.parse.urlsplit(base_url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=urllib.parse.unquote(parts.username or "postgres"),
        password=urllib.parse.unquote(parts.password or "") or None,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def database_has_organisations(env: dict[str, str], orgs: int) -> bool:
    code = (
        "from partners.models import Organisation;print(Organisation.objects.count())"
    )
    try:
        # A database not made yet is the usual answer, not an error to print.
        out = manage(env, "shell", "-v", "0", "-c", code, capture=True, quiet=True)
    except subprocess.CalledProcessError:
        return False
    return out.strip().splitlines()[-1:] == [str(orgs)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn, stopped whatever happens.

    By default two sync workers; ``config`` runs it with the production image's
    gunicorn.conf.py instead (its workers, GUNICORN_WORKERS), on 127.0.0.1.
    """

    def __init__(
        self, env: dict[str, str], log: Path, *, port: int = 0, config: bool = False
    ) -> None:
        self.port = port or free_port()
        self.log = log.open("w")
        options = (
            ["--config", str(ROOT / "gunicorn.conf.py"), "--access-logfile", "-"]
            if config
            else ["--workers", "2", "--log-level", "warning"]
        )
        self.process = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
            [
                GUNICORN,
                "ceop_crm.wsgi:application",
                *options,
                "--bind",
                f"{HOST}:{self.port}",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log.name}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/accounts/login/", headers={"Host": HOST})
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer in {timeout:.0f}s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


# --- Timing ---------------------------------------------------------------------


def prepare_database(args, base_url: str, orgs: int, env: dict[str, str]) -> None:
    database = f"{args.db_prefix}{size_label(orgs)}"
    print(f"\n## {orgs:,} organisations: database {database}", flush=True)
    if args.reuse and database_has_organisations(env, orgs):
        # The pages are timed on the current schema: migrations added since the
        # seed (an index, say) are applied first.
        manage(env, "migrate", "--no-input", "-v", "0")
        print("  reusing the seeded database (migrated)", flush=True)
    else:
        recreate_database(base_url, database)
        manage(env, "migrate", "--no-input", "-v", "0")
        started = time.monotonic()
        manage(env, "seed_demo", "--orgs", str(orgs))
        print(
            f"  seeded {orgs:,} organisations in {time.monotonic() - started:.0f} s "
            f"(load average {os.getloadavg()[0]:.2f})",
            flush=True,
        )
    manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        "from django.db import connection;connection.cursor().execute('VACUUM ANALYZE')",
    )
