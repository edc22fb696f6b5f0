"""End to end through the real broker: a Celery worker on REDIS_URL runs the sweep,
which records a reminder and, after its commit, publishes the sending task that
the same worker picks up and emails."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from ceop_crm import mail as outbox
from ceop_crm.celery import app as celery_app
from ceop_crm.models import TaskRun
from planning.models import Milestone, Reminder, Review
from planning.services import planning_years_ensure
from planning.tasks import reminders_sweep_task
from tests import factories
from tests.celery_worker import real_worker

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


def test_a_reminder_goes_through_the_broker_and_a_real_worker(monkeypatch):
    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)
    assert celery_app.conf.broker_url.startswith("redis://")
    assert not celery_app.conf.task_always_eager

    today = timezone.localdate()
    owner = factories.UserFactory(username="owner", email="owner@ceop.example")
    org = factories.OrganisationFactory(name="Broker Test Ltd", owner=owner)
    factories.DueDiligenceFactory(
        organisation=org,
        assessed_on=today - dt.timedelta(days=60),
        expires_on=today + dt.timedelta(days=365),
    )
    association = factories.AssociationFactory(
        organisation=org,
        tier=factories.tier("official-supporter"),
        start=today - dt.timedelta(days=30),
    )
    planning_years_ensure(today=today)
    review = Review.objects.create(
        organisation=org,
        association=association,
        milestone=Milestone.objects.filter(kind="other").first()
        or Milestone.objects.first(),
        due_on=today + dt.timedelta(days=3),
    )

    with real_worker():
        reminders_sweep_task.delay()
        assert _wait_for(
            lambda: Reminder.objects.filter(
                subject_type="review", subject_id=review.pk, sent_at__isnull=False
            ).exists()
        ), "the worker did not record and send the reminder"

    reminder = Reminder.objects.get(subject_type="review", subject_id=review.pk)
    # The run the readiness check and the metrics read.
    assert TaskRun.objects.filter(name="planning.reminders_sweep").exists()
    assert reminder.recipient == owner
    assert reminder.step == Reminder.Step.REVIEW_UPCOMING
    assert reminder.attempts == 1
    [email] = [m for m in mail.outbox if m.to == ["owner@ceop.example"]]
    assert email.subject == reminder.title
    assert email.alternatives[0].mimetype == "text/html"
