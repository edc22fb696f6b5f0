"""A reminder once per person, subject and step, on every database."""

import datetime as dt

import pytest

from planning import models as plm
from tests import factories
from tests.rules_each_layer.helpers import refused_by_the_database

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_reminder_of_the_same_step():
    user = factories.UserFactory()

    def remind():
        return plm.Reminder.objects.create(
            recipient=user,
            step=plm.Reminder.Step.REVIEW_DUE,
            subject_type="review",
            subject_id=1,
            title="Review due",
        )

    remind()
    refused_by_the_database(remind)


def test_the_sweep_inserts_a_reminder_recorded_already_as_nothing():
    from planning.services.reminders import REMINDER_COLUMNS, _insert_ignoring_conflicts

    user = factories.UserFactory()
    row = (
        user.pk,
        plm.Reminder.Step.REVIEW_DUE,
        "review",
        1,
        "Review due",
        "",
        "/",
        None,
        dt.datetime(2026, 7, 1, tzinfo=dt.UTC),
        0,
        "",
        "email",
    )

    first = _insert_ignoring_conflicts(plm.Reminder, REMINDER_COLUMNS, [row, row])
    again = _insert_ignoring_conflicts(plm.Reminder, REMINDER_COLUMNS, [row])

    assert len(first) == 1
    assert again == []
    assert plm.Reminder.objects.count() == 1
