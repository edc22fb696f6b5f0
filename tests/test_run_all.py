"""`make run`'s launcher: what it tells a newcomer, and that ending its process
(SIGTERM, as a terminal closing or a process manager does) stops the web app,
the worker and the beat, leaving no stray folder in the checkout."""

import contextlib
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import run_all  # noqa: E402

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2026, 11, 29, 19, 4, tzinfo=LONDON), (19, 5)),
        (dt.datetime(2026, 11, 29, 19, 5, tzinfo=LONDON), (20, 5)),
        (dt.datetime(2026, 11, 29, 23, 30, tzinfo=LONDON), (0, 5)),
    ],
)
def test_the_first_sweep_is_announced_at_the_next_five_past(now, expected):
    at = run_all.next_sweep(now)
    assert (at.hour, at.minute) == expected
    assert at > now


def test_the_welcome_says_where_to_go_who_to_be_and_how_to_send_reminders():
    text = run_all.welcome()
    assert "/portal/" in text
    assert "/admin/" in text
    assert "sign in as manager" in text
    assert "send_reminders_now" in text
    assert "create_demo_users --reset-passwords" in text
    assert "authenticator key" in text  # staff sign in with a second step


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").exists(), reason="reads /proc")
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="checks the embedded default; runs in the SQLite run of make test",
)
def test_sigterm_to_the_process_group_stops_web_worker_and_beat(tmp_path):
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CEOP_REQUIRE_POSTGRES"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_BROKER_FOLDER=str(tmp_path / "broker"),
        DJANGO_EMAIL_FILE_PATH=str(tmp_path / "outbox"),
        DJANGO_SETTINGS_MODULE="ceop_crm.settings.local",
        CEOP_RUN_PORT=str(port),
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    stray = ROOT / "control"
    existed = stray.exists()
    launcher = subprocess.Popen(
        [sys.executable, "scripts/run_all.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live/")
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the web app did not start")
        children = _children(launcher.pid)
        assert len(children) == 3  # web, worker, beat
        os.killpg(launcher.pid, signal.SIGTERM)
        out, _ = launcher.communicate(timeout=60)
    finally:
        if launcher.poll() is None:  # a failed test leaves nothing running
            for pid in [*_children(launcher.pid), launcher.pid]:
                with contextlib.suppress(OSError):
                    os.killpg(pid, signal.SIGKILL)
    assert launcher.returncode == 0, out[-2000:]
    deadline = time.monotonic() + 20
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in children if _alive(pid)]
    assert "Workspace" in out
    assert existed or not stray.exists(), (
        "the broker's control folder is in the checkout"
    )
