"""The request id reaches the Celery tasks a request queues: through the real
broker (Redis) to a real worker, whose log lines then carry it."""

import time

import pytest
from celery import shared_task
from django.conf import settings
from django_guid import get_guid, set_guid

from tests.celery_worker import real_worker

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not settings.REDIS_URL,
        reason="REDIS_URL is not set: this test needs a real Redis broker (CI sets it)",
    ),
]

seen: list[str | None] = []


@shared_task(name="tests.remember_request_id")
def remember_request_id() -> None:
    seen.append(get_guid())


def test_a_task_queued_under_a_request_id_runs_with_it():
    seen.clear()
    request_id = "4a7c1e2b3d4f45a6b7c8d9e0f1a2b3c4"
    with real_worker():
        set_guid(request_id)
        try:
            remember_request_id.delay()
        finally:
            set_guid(None)
        deadline = time.monotonic() + 30
        while not seen and time.monotonic() < deadline:
            time.sleep(0.2)
    assert seen == [request_id]
