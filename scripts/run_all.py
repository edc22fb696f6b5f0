"""`make run`: the web app, a Celery worker and Celery beat together; Ctrl-C stops all."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main() -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ceop_crm.settings.local"}
    (ROOT / "outbox").mkdir(exist_ok=True)
    for folder in ("out", "processed"):
        (ROOT / ".celery-broker" / folder).mkdir(parents=True, exist_ok=True)
    commands = {
        "web": [sys.executable, "manage.py", "runserver", "127.0.0.1:8000"],
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
            str(ROOT / ".celery-broker" / "celerybeat-schedule"),
        ],
    }
    processes = {
        name: subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
        for name, command in commands.items()
    }
    print("CEOP Partner on http://127.0.0.1:8000 (admin at /admin/); Ctrl-C stops all.")
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
