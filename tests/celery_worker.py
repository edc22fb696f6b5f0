"""A real Celery worker on the configured broker, in a thread of the test process."""

from contextlib import AbstractContextManager

from celery.contrib.testing.worker import start_worker

from ceop_crm.celery import app as celery_app


def real_worker() -> AbstractContextManager:
    """Purges what an earlier run left on the broker, then runs one solo worker."""
    celery_app.control.purge()
    return start_worker(
        celery_app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        loglevel="WARNING",
        shutdown_timeout=30,
    )
