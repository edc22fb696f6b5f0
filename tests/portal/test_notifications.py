import re

import pytest
from django.urls import reverse

from planning.models import Reminder

pytestmark = pytest.mark.django_db


def test_partner_sees_and_marks_own_notification_read(client, world_a, world_b):
    client.force_login(world_a.user)
    page = client.get(reverse("portal:notifications"))
    assert page.context["unread"] == 1
    assert world_a.reminder.title in page.content.decode()
    client.post(
        reverse("portal:notification_read", kwargs={"reminder_pk": world_a.reminder.pk})
    )
    assert Reminder.objects.get(pk=world_a.reminder.pk).read_at is not None
    assert Reminder.objects.get(pk=world_b.reminder.pk).read_at is None


def test_partner_switches_on_a_private_calendar_feed(client, world_a):
    client.force_login(world_a.user)
    response = client.post(reverse("portal:calendar_feed"), {"action": "issue"})
    assert response.status_code == 200
    feed_url = response.context["feed_url"]
    path = re.sub(r"^https?://[^/]+", "", feed_url)
    client.logout()
    feed = client.get(path)
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    client.force_login(world_a.user)
    client.post(reverse("portal:calendar_feed"), {"action": "revoke"})
    client.logout()
    assert client.get(path).status_code == 404
