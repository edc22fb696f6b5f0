"""Rows the system writes (reminders, calendar feeds) change in admin only as
far as a person may change them."""

import pytest
from django.urls import reverse

from planning import models as plm
from tests.admin_helpers import admin_form_data
from tests.admin_site.objects import make_calendar_feed_token, make_reminder

pytestmark = pytest.mark.django_db


# --- Reminders ---------------------------------------------------------------------


def test_reminder_admin_changes_only_read_at(admin_client):
    reminder = make_reminder()
    url = reverse("admin:planning_reminder_change", args=[reminder.pk])
    response = admin_client.get(url)
    assert set(response.context["adminform"].form.fields) == {"read_at"}

    data = admin_form_data(response)
    data.update(read_at_0="28/11/2026", read_at_1="09:30:00", title="Changed")
    response = admin_client.post(url, data)

    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.read_at is not None
    assert reminder.title == "Something to look at"


def test_reminders_cannot_be_deleted_in_admin(admin_client):
    reminder = make_reminder()
    url = reverse("admin:planning_reminder_delete", args=[reminder.pk])

    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert plm.Reminder.objects.filter(pk=reminder.pk).exists()


def test_calendar_feeds_are_revoked_through_the_service(admin_client):
    token = make_calendar_feed_token()
    url = reverse("admin:planning_calendarfeedtoken_changelist")

    response = admin_client.post(
        url, {"action": "revoke", "_selected_action": [token.pk]}
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
