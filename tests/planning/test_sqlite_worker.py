"""The first run, on the embedded default: a real worker with two processes on
the SQLite file and the filesystem broker sends a batch of reminders, each on
its first attempt (no "database is locked")."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.slow,
    # The embedded default is what this checks: CI's SQLite run covers it.
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
        reason="checks the embedded default; runs in the SQLite run of make test",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _run(env: dict, *args: str) -> None:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


QUEUE_WORK = """
from ceop_crm.mail import send_outbound_emails_task, task_enqueue
from ceop_crm.models import OutboundEmail
from planning.tasks import reminders_sweep_task

reminders_sweep_task.delay()
for n in range(40):
    email = OutboundEmail.objects.create(
        to=[f"person{n}@example.org"], subject=f"Note {n}", body_text="Hello"
    )
    task_enqueue(send_outbound_emails_task, [email.pk])
"""


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db, timeout=20) as connection:
        return connection.execute(sql).fetchone()[0]


def test_a_two_process_worker_on_sqlite_sends_every_reminder_first_time(tmp_path):
    db = tmp_path / "db.sqlite3"
    broker = tmp_path / "broker"
    for folder in ("out", "processed", "control"):
        (broker / folder).mkdir(parents=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CEOP_REQUIRE_POSTGRES"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ceop_crm.settings.local",
        DATABASE_URL=f"sqlite:///{db}",
        CELERY_BROKER_FOLDER=str(broker),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        DJANGO_EMAIL_FILE_PATH=str(tmp_path / "outbox"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )
    _run(env, "migrate", "--no-input", "-v", "0")
    _run(env, "seed_demo", "--orgs", "120")

    # The sweep, and beside it forty emails each handed to the worker on its own,
    # as forty pages queueing mail would: both worker processes write.
    _run(env, "shell", "-c", QUEUE_WORK)

    # Another writer (a long sweep, a page saving) holds the write lock for ten
    # seconds while the worker starts on the batch: longer than SQLite's default
    # wait of five seconds, within the twenty the settings give.
    holder = sqlite3.connect(db, isolation_level=None, timeout=20)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("DELETE FROM ceop_crm_taskrun")
    worker = subprocess.Popen(  # noqa: S603
        [str(BIN / "celery"), "-A", "ceop_crm", "worker", "-c", "2", "-l", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        time.sleep(10)
        holder.execute("COMMIT")
        holder.close()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            swept = _count(db, "SELECT COUNT(*) FROM ceop_crm_taskrun")
            unsent = _count(
                db,
                "SELECT COUNT(*) FROM planning_reminder r JOIN auth_user u "
                "ON u.id = r.recipient_id WHERE r.sent_at IS NULL AND u.email <> ''",
            )
            waiting = _count(
                db, "SELECT COUNT(*) FROM ceop_crm_outboundemail WHERE sent_at IS NULL"
            )
            if swept and not unsent and not waiting:
                break
            time.sleep(1)
    finally:
        worker.terminate()
        log, _ = worker.communicate(timeout=60)

    assert "database is locked" not in log, log[-3000:]
    reminders = _count(db, "SELECT COUNT(*) FROM planning_reminder")
    assert reminders >= 20, "the demo data should make a batch of reminders due"
    assert (
        _count(db, "SELECT COUNT(*) FROM planning_reminder WHERE sent_at IS NULL") == 0
    )
    assert (
        _count(db, "SELECT COUNT(*) FROM ceop_crm_outboundemail WHERE sent_at IS NULL")
        == 0
    )
    # Everything went out on its first attempt: nothing failed and was retried.
    assert _count(db, "SELECT MAX(attempts) FROM planning_reminder") == 1
    assert _count(db, "SELECT MAX(attempts) FROM ceop_crm_outboundemail") == 1
    assert len(list((tmp_path / "outbox").iterdir())) >= 1
