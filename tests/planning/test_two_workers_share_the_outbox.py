"""Two real Celery worker processes at once on PostgreSQL share one outbox: every
email reaches the SMTP server (aiosmtpd, counting what it receives) exactly once.

Each worker is handed every id, several times over, so both claim from the same
rows at the same moment: the claim (``SELECT ... FOR UPDATE SKIP LOCKED``, then
moving ``next_attempt_at`` ahead) decides which worker sends each batch.
"""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from ceop_crm.celery import app as celery_app
from ceop_crm.mail import send_outbound_emails_task
from ceop_crm.models import OutboundEmail
from planning.models import Reminder
from planning.tasks import send_reminders_task
from tests import factories

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL; CI sets both)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EMAILS = 300
REMINDERS = 300


class Counting:
    """An aiosmtpd handler that keeps the subject of every message received."""

    def __init__(self) -> None:
        self.subjects: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        text = envelope.content.decode("utf-8", errors="replace")
        subject = next(
            (line[9:] for line in text.splitlines() if line.startswith("Subject: ")),
            "",
        )
        with self.lock:
            self.subjects.append(subject)
        # A mail server takes its time: the two workers' batches overlap.
        time.sleep(0.002)
        return "250 OK"


def _worker(name: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [
            str(BIN / "celery"),
            "-A",
            "ceop_crm",
            "worker",
            "-P",
            "solo",
            "-n",
            f"{name}@%h",
            "-l",
            "warning",
            "--prefetch-multiplier",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_two_workers_send_every_email_and_reminder_exactly_once(tmp_path):
    recipient = factories.UserFactory(email="owner@example.org")
    emails = OutboundEmail.objects.bulk_create(
        [
            OutboundEmail(
                to=[f"person{n}@example.org"], subject=f"Note {n}", body_text="Hello"
            )
            for n in range(EMAILS)
        ]
    )
    reminders = Reminder.objects.bulk_create(
        [
            Reminder(
                recipient=recipient,
                step=Reminder.Step.values[0],
                subject_type="review",
                subject_id=n,
                title=f"Reminder {n}",
                body="A review is coming up.",
            )
            for n in range(REMINDERS)
        ]
    )
    handler = Counting()
    with socket.socket() as probe:  # a free port for the SMTP server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()
    database = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k != "CEOP_REQUIRE_POSTGRES"}
    env.update(
        DJANGO_SETTINGS_MODULE="ceop_crm.settings.local",
        DATABASE_URL=(
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@"
            f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/"
            f"{database['NAME']}"
        ),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )
    celery_app.control.purge()
    workers = [_worker("first", env), _worker("second", env)]
    try:
        # Every id handed out four times: each task claims what is left.
        email_ids = [e.pk for e in emails]
        reminder_ids = [r.pk for r in reminders]
        for _ in range(4):
            send_outbound_emails_task.delay(email_ids)
            send_reminders_task.delay(reminder_ids)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            unsent = (
                OutboundEmail.objects.filter(sent_at=None).count()
                + Reminder.objects.filter(sent_at=None).count()
            )
            if not unsent:
                break
            time.sleep(0.5)
        time.sleep(2)  # anything sent twice would arrive by now
        stats = celery_app.control.inspect(timeout=10).stats() or {}
    finally:
        logs = []
        for worker in workers:
            worker.terminate()
            logs.append(worker.communicate(timeout=60)[0])
        smtp.stop()

    assert unsent == 0, logs
    expected = [f"Note {n}" for n in range(EMAILS)] + [
        f"Reminder {n}" for n in range(REMINDERS)
    ]
    assert sorted(handler.subjects) == sorted(expected)
    assert OutboundEmail.objects.exclude(attempts=1).count() == 0
    assert Reminder.objects.exclude(attempts=1).count() == 0
    for log in logs:
        assert "Traceback" not in log, log[-3000:]
    # Both workers ran sending tasks: the outbox was shared, not drained by one.
    ran = {name.split("@")[0]: sum(s["total"].values()) for name, s in stats.items()}
    assert ran.get("first", 0) >= 1, ran
    assert ran.get("second", 0) >= 1, ran
