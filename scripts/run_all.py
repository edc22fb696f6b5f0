"""`make run`: the web app, a Celery worker and Celery beat together; Ctrl-C stops all."""

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("CEOP_RUN_PORT", "8000"))
BROKER = Path(os.environ.get("CELERY_BROKER_FOLDER", ROOT / ".celery-broker"))
BIN = Path(sys.executable).parent


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def next_sweep(now: datetime) -> datetime:
    """When beat next starts the hourly sweep (CELERY_BEAT_SCHEDULE: minute 5)."""
    at = now.replace(minute=5, second=0, microsecond=0)
    return at if at > now else at + timedelta(hours=1)


def welcome() -> str:
    at = next_sweep(datetime.now(ZoneInfo("Europe/London")))
    base = f"http://127.0.0.1:{PORT}"
    return "\n".join(
        [
            "",
            f"CEOP Partner is starting on {base} — Ctrl-C stops it all.",
            f"  Workspace  {base}/         sign in as manager, senior or analyst",
            f"  Portal     {base}/portal/  sign in as partner",
            f"  Admin      {base}/admin/   sign in as admin",
            "  Passwords (and, for staff and admin, an authenticator key and recovery",
            "  codes for the second step) were printed above when the demo users were",
            "  made; lost them?",
            "  .venv/bin/python manage.py create_demo_users --reset-passwords",
            f"  Reminders: the first sweep runs at {at:%H:%M} (then hourly); emails are",
            "  written to outbox/. To send what is due now:",
            "  .venv/bin/python manage.py send_reminders_now",
            "",
        ]
    )


def main() -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ceop_crm.settings.local"}
    (ROOT / "outbox").mkdir(exist_ok=True)
    for folder in ("out", "processed", "control"):
        (BROKER / folder).mkdir(parents=True, exist_ok=True)
    commands = {
        "web": [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}"],
        "worker": [
            str(BIN / "celery"),
            "-A",
            "ceop_crm",
            "worker",
            "-l",
            "info",
            "-c",
            "2",
        ],
        "beat": [
            str(BIN / "celery"),
            "-A",
            "ceop_crm",
            "beat",
            "-l",
            "info",
            "-s",
            str(BROKER / "celerybeat-schedule"),
        ],
    }
    processes = {
        name: subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
        for name, command in commands.items()
    }
    print(welcome(), flush=True)
    # `kill` of this process (or of its process group) stops all three, as Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while all(p.poll() is None for p in processes.values()):
            time.sleep(0.5)
        stopped = [n for n, p in processes.items() if p.poll() is not None]
        print(f"{', '.join(stopped)} stopped; stopping the rest.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
