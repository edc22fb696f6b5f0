"""End to end through the real broker: confirming an import publishes its task
after the commit, and a Celery worker on REDIS_URL runs it."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from ceop_crm import mail as outbox
from ceop_crm.celery import app as celery_app
from partners.imports import services
from partners.imports.models import ImportJob
from partners.models import Organisation
from tests.partners.imports.helpers import row, upload

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not settings.REDIS_URL,
        reason="REDIS_URL is not set: this test needs a real Redis broker (CI sets it)",
    ),
]


def _wait_for(condition, *, seconds: float = 45.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def test_a_confirmed_import_is_run_by_a_real_worker(monkeypatch, senior_manager):
    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)
    assert celery_app.conf.broker_url.startswith("redis://")
    assert not celery_app.conf.task_always_eager
    job = upload(
        [
            row(Organisation="Broker Trust", Sector="Voluntary", Contact="Ann Lee"),
            row(Organisation="Broken Row", Sector="Shipping"),
        ],
        senior_manager,
    )
    celery_app.control.purge()
    with start_worker(
        celery_app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        loglevel="WARNING",
        shutdown_timeout=30,
    ):
        services.import_job_confirm(job=job, actor=senior_manager)
        assert _wait_for(
            lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE
        ), "the worker did not run the import"
    job.refresh_from_db()
    assert (job.created, job.failed, job.processed) == (1, 1, 2)
    assert (
        Organisation.objects.get(name="Broker Trust").contacts.get().name == "Ann Lee"
    )
