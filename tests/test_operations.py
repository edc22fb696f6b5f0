"""Operating the service: health endpoints, metrics, request ids, task runs,
the compose file and backups."""

import datetime as dt
import json
import logging
import tarfile
from pathlib import Path

import pytest
import time_machine
import yaml
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from ceop_crm.models import OutboundEmail, TaskRun
from ceop_crm.ops.services import task_run_record
from partners.models import Organisation
from planning.tasks import reminders_sweep_task
from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SWEEP = "planning.reminders_sweep"


def _sweep_finished(ago: dt.timedelta) -> TaskRun:
    finished = timezone.now() - ago
    return task_run_record(
        name=SWEEP,
        started_at=finished - dt.timedelta(seconds=3),
        finished_at=finished,
        summary={},
    )


def _ready(client):
    response = client.get("/health/ready/", {"format": "json"})
    return response.status_code, response.json()


# -- health ----------------------------------------------------------------


def test_liveness_answers_without_checking_anything(client):
    response = client.get("/health/live/", {"format": "json"})
    assert response.status_code == 200
    assert response.json() == {}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_is_ok_when_the_database_answers_and_the_sweep_ran_lately(client):
    _sweep_finished(dt.timedelta(minutes=70))
    status, body = _ready(client)
    assert status == 200, body
    assert set(body.values()) == {"OK"}
    assert any(name.startswith("Database") for name in body)


def test_readiness_fails_when_the_sweep_has_not_run_for_two_hours(client):
    _sweep_finished(dt.timedelta(hours=2, minutes=5))
    status, body = _ready(client)
    assert status == 500
    [failure] = [v for k, v in body.items() if k.startswith("SweepRanLately")]
    assert "2.1 hours ago" in failure


def test_readiness_gives_a_fresh_installation_two_hours_for_its_first_sweep(client):
    assert not TaskRun.objects.exists()
    assert _ready(client)[0] == 200
    with time_machine.travel(timezone.now() + dt.timedelta(hours=3)):
        status, body = _ready(client)
    assert status == 500
    assert "never run" in str(body)


def test_readiness_fails_when_redis_is_down(client, settings):
    _sweep_finished(dt.timedelta(minutes=5))
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    status, body = _ready(client)
    assert status == 500
    [failure] = [v for k, v in body.items() if k.startswith("Redis")]
    assert "Unable to connect to Redis" in failure


@pytest.mark.skipif(
    not settings.REDIS_URL, reason="needs a real Redis (REDIS_URL; CI sets it)"
)
def test_readiness_checks_the_real_redis_when_it_is_configured(client):
    _sweep_finished(dt.timedelta(minutes=5))
    status, body = _ready(client)
    assert status == 200, body
    assert any(name.startswith("Redis") for name in body)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stops reaching a PostgreSQL server"
)
def test_readiness_fails_when_postgresql_is_down(client):
    _sweep_finished(dt.timedelta(minutes=5))
    db = connection.settings_dict
    port = db["PORT"]
    connection.close()
    db["PORT"] = "1"  # nothing listens there: the server is gone
    try:
        status, body = _ready(client)
    finally:
        connection.close()
        db["PORT"] = port
    assert status == 500
    [failure] = [v for k, v in body.items() if k.startswith("Database")]
    assert failure != "OK"


def test_the_reminder_sweep_records_its_run(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    reminders_sweep_task()
    run = TaskRun.objects.get(name=SWEEP)
    assert run.finished_at >= run.started_at
    assert set(run.summary) == {"due", "recorded", "caught_up", "failed"}


def test_task_runs_older_than_ninety_days_are_forgotten():
    old = _sweep_finished(dt.timedelta(days=91))
    kept = _sweep_finished(dt.timedelta(days=89))
    _sweep_finished(dt.timedelta(minutes=1))
    assert not TaskRun.objects.filter(pk=old.pk).exists()
    assert TaskRun.objects.filter(pk=kept.pk).exists()


# -- metrics ---------------------------------------------------------------


def test_metrics_show_requests_the_sweep_and_the_outbox(client):
    _sweep_finished(dt.timedelta(minutes=5))
    OutboundEmail.objects.create(to=["someone@example.org"], subject="Hello")
    client.get("/health/live/")
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_total_by_view_transport_method_total" in text
    assert "ceop_reminder_sweep_duration_seconds 3.0" in text
    assert 'ceop_outbox_emails{state="waiting"} 1.0' in text
    assert 'ceop_outbox_emails{state="given_up"} 0.0' in text


def test_metrics_are_refused_to_an_address_not_listed(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403


def test_metrics_with_a_token_need_it(client, settings):
    settings.METRICS_TOKEN = "scrape-secret"
    assert client.get("/metrics").status_code == 403  # loopback is not enough
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 403
    right = client.get(
        "/metrics",
        HTTP_AUTHORIZATION="Bearer scrape-secret",
        REMOTE_ADDR="203.0.113.9",
    )
    assert right.status_code == 200


# -- request ids and logs ----------------------------------------------------


def test_every_response_carries_a_request_id_and_a_valid_one_is_kept(client):
    fresh = client.get("/health/live/")
    assert len(fresh["X-Request-ID"]) == 32
    given = "7d1f5e0ab54c4b3e9a1f2c3d4e5f6a7b"
    assert client.get("/health/live/", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == (
        given
    )
    # A value that is not a UUID (say, text meant to forge log lines) is replaced.
    forged = client.get("/health/live/", HTTP_X_REQUEST_ID="x\nFAKE LOG LINE")
    assert forged["X-Request-ID"] != "x\nFAKE LOG LINE"


class _Lines(logging.Handler):
    """Formats records as the console handler of LOGGING does, with its filters."""

    def __init__(self):
        super().__init__()
        console = next(
            h for h in logging.getLogger().handlers if getattr(h, "filters", None)
        )
        for filter_ in console.filters:
            self.addFilter(filter_)
        self.setFormatter(console.formatter)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


def test_log_lines_of_a_request_carry_its_request_id(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # the check fails and logs it
    given = "0b6f3c2e9d8a4f7e8c1b2a3d4e5f6071"
    lines = _Lines()
    logger = logging.getLogger("health_check")
    logger.addHandler(lines)
    try:
        client.get("/health/ready/", HTTP_X_REQUEST_ID=given)
    finally:
        logger.removeHandler(lines)
    assert lines.lines
    assert all(f"[{given}]" in line for line in lines.lines), lines.lines


def test_production_logs_are_json_with_the_request_id():
    from django.utils.module_loading import import_string

    config = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(config.pop("()"))(**config)
    record = logging.LogRecord("ceop", logging.INFO, __file__, 1, "hello", (), None)
    record.correlation_id = "abc"
    record.celery_parent_id = record.celery_current_id = None
    line = json.loads(formatter.format(record))
    assert line["message"] == "hello"
    assert line["request_id"] == "abc"
    assert line["level"] == "INFO"


# -- the compose file --------------------------------------------------------


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_every_service_with_a_healthcheck():
    services = _compose()["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat"}
    for name in ("db", "redis", "web", "worker", "beat"):
        assert services[name].get("healthcheck", {}).get("test"), name
    for name in ("web", "beat"):
        assert services[name]["healthcheck"]["test"][-1] == "/health/ready/", name
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])


def test_compose_starts_the_app_after_its_database_redis_and_migrations():
    services = _compose()["services"]
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
    depends = services["migrate"]["depends_on"]
    assert depends["db"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"


def test_compose_keeps_data_in_named_volumes():
    compose = _compose()
    declared = set(compose["volumes"])
    used = {
        volume.split(":")[0]
        for service in compose["services"].values()
        for volume in service.get("volumes", [])
    }
    assert {"pgdata", "media", "backups"} <= used <= declared


def test_compose_runs_exactly_one_beat():
    services = _compose()["services"]
    beats = [s for s in services.values() if "beat" in s.get("command", [])]
    assert len(beats) == 1
    assert "replicas" not in beats[0].get("deploy", {})


def test_the_image_leaves_secrets_out_and_owns_its_media_folder():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored
    assert "db.sqlite3" in ignored
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "chown ceop:ceop /app/media" in dockerfile
    assert dockerfile.index("chown ceop:ceop /app/media") < dockerfile.index(
        "USER ceop"
    )


# -- backup and restore -------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_the_database_and_the_media(tmp_path):
    kept = factories.OrganisationFactory(name="Kept Through Restore")
    document = default_storage.save("mou/signed.pdf", ContentFile(b"%PDF-1.4 kept"))

    call_command("backup", "--to", str(tmp_path))
    [archive] = tmp_path.glob("ceop-backup-*.tar")
    with tarfile.open(archive) as contents:
        names = set(contents.getnames())
    assert {"manifest.json", "media.tar.gz"} <= names

    kept.delete()
    factories.OrganisationFactory(name="Made After The Backup")
    default_storage.delete(document)
    default_storage.save("mou/later.pdf", ContentFile(b"%PDF-1.4 later"))

    from django.core.cache import caches

    from partners.reports import FIGURES_VERSION_KEY

    version = caches["shared"].get(FIGURES_VERSION_KEY)
    call_command("restore", str(archive), "--yes")
    # The figures the web processes share were counted before the restore.
    assert caches["shared"].get(FIGURES_VERSION_KEY) != version

    names = set(Organisation.objects.values_list("name", flat=True))
    assert "Kept Through Restore" in names
    assert "Made After The Backup" not in names
    assert default_storage.open(document).read() == b"%PDF-1.4 kept"
    assert not default_storage.exists("mou/later.pdf")
