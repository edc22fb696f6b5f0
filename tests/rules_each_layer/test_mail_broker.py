"""A page that queues mail neither retries the broker nor waits."""

import pytest

from ceop_crm import mail as outbox

pytestmark = pytest.mark.django_db


def test_publishing_is_never_retried_and_an_outage_pauses_it(monkeypatch, settings):
    # A broker on a closed port: the connection is refused at once.
    from celery import Celery

    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)
    # Not the current app: the rest of the suite keeps publishing to its own.
    app = Celery("broker-down", broker="redis://127.0.0.1:9/0", set_as_current=False)
    app.conf.broker_connection_timeout = settings.CELERY_BROKER_CONNECTION_TIMEOUT
    app.conf.broker_connection_retry = False
    attempts = []

    @app.task(name="broker-down.noop")
    def noop():
        return None

    publish = noop.apply_async

    def recorded(*args, **kwargs):
        attempts.append(kwargs)
        return publish(*args, **kwargs)

    monkeypatch.setattr(noop, "apply_async", recorded)

    assert outbox.task_enqueue(noop) is False
    assert outbox.task_enqueue(noop) is False  # paused: not tried again

    assert [a.get("retry") for a in attempts] == [False]
    assert outbox._broker_paused_until > 0
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 2
