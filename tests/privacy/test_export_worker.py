"""End to end through the real broker: the page asks, a Celery worker builds."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.urls import reverse

from ceop_crm import mail as outbox
from ceop_crm.celery import app as celery_app
from ceop_crm.privacy.models import SubjectAccessExport
from tests.privacy.conftest import EMAIL, NAME, seed_person, signed_in

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not settings.REDIS_URL,
        reason="REDIS_URL is not set: this test needs a real Redis broker (CI sets it)",
    ),
]


def test_a_worker_builds_the_export_the_page_asked_for(
    monkeypatch, dpo, senior_manager
):
    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)
    assert not celery_app.conf.task_always_eager
    seed_person(actor=senior_manager)
    celery_app.control.purge()
    client = signed_in(dpo)
    with start_worker(
        celery_app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        loglevel="WARNING",
        shutdown_timeout=30,
    ):
        response = client.post(
            reverse("privacy:export_create"), {"name": NAME, "email": EMAIL}
        )
        assert response.status_code == 302
        export = SubjectAccessExport.objects.get()
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            export.refresh_from_db()
            if export.is_finished:
                break
            time.sleep(0.25)
    assert export.status == "done", export.error
    assert export.file
    assert export.records > 10
