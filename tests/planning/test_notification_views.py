import pytest
from django.urls import reverse

from planning.models import Reminder
from tests import factories

pytestmark = pytest.mark.django_db


def make_reminders(user, count: int, *, start: int = 0) -> list[Reminder]:
    return Reminder.objects.bulk_create(
        Reminder(
            recipient=user,
            step=Reminder.Step.REVIEW_DUE,
            subject_type="review",
            subject_id=start + n,
            title=f"Review {start + n} due",
            body="Due today.",
            url=f"/reviews/{start + n}/",
        )
        for n in range(count)
    )


def test_notification_list_shows_only_my_notifications(client, manager, analyst):
    make_reminders(manager, 2)
    make_reminders(analyst, 1, start=100)
    client.force_login(manager)
    response = client.get(reverse("notification_list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Review 0 due" in content
    assert "Review 1 due" in content
    assert "Review 100 due" not in content
    assert response.context["unread_notifications"] == 2
    assert "staff/base.html" in [t.name for t in response.templates]


def test_notification_list_filters_unread(client, manager):
    read, unread = make_reminders(manager, 2)
    Reminder.objects.filter(pk=read.pk).update(read_at="2026-11-01T10:00Z")
    client.force_login(manager)
    response = client.get(reverse("notification_list"), {"show": "unread"})
    assert [r.pk for r in response.context["reminders"]] == [unread.pk]


@pytest.mark.parametrize("count", [3, 60])
def test_notification_list_query_count_does_not_grow(
    client, manager, count, django_assert_max_num_queries
):
    make_reminders(manager, count)
    client.force_login(manager)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("notification_list"))
    assert response.status_code == 200
    assert len(response.context["reminders"]) == min(count, 50)


def test_notifications_need_a_staff_user(client, partner_user):
    response = client.get(reverse("notification_list"))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"] or "login" in response["Location"]
    client.force_login(partner_user)
    assert client.get(reverse("notification_list")).status_code == 403


def test_opening_a_notification_marks_it_read_and_goes_to_the_item(client, manager):
    [reminder] = make_reminders(manager, 1)
    client.force_login(manager)
    response = client.get(reverse("notification_open", args=[reminder.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/reviews/0/"
    reminder.refresh_from_db()
    assert reminder.read_at is not None


def test_opening_never_redirects_off_site(client, manager):
    [reminder] = make_reminders(manager, 1)
    Reminder.objects.filter(pk=reminder.pk).update(url="https://evil.example/")
    client.force_login(manager)
    response = client.get(reverse("notification_open", args=[reminder.pk]))
    assert response["Location"] == "/notifications/"


def test_someone_elses_notification_is_not_found(client, manager, analyst):
    [theirs] = make_reminders(analyst, 1)
    client.force_login(manager)
    assert client.get(reverse("notification_open", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("notification_read", args=[theirs.pk])).status_code == 404
    )
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_and_unread_with_htmx(client, manager):
    [reminder] = make_reminders(manager, 1)
    client.force_login(manager)
    url = reverse("notification_read", args=[reminder.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Mark unread" in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.read_at is not None
    response = client.post(url, {"unread": "1"})
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.read_at is None


def test_mark_all_read(client, manager, analyst):
    make_reminders(manager, 3)
    [other] = make_reminders(analyst, 1, start=50)
    client.force_login(manager)
    response = client.post(reverse("notification_read_all"), follow=True)
    assert "3 notifications marked as read." in response.content.decode()
    assert not Reminder.objects.filter(recipient=manager, read_at=None).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_the_list_is_read_only_for_get_requests(client, manager):
    make_reminders(manager, 1)
    client.force_login(manager)
    client.get(reverse("notification_list"))
    assert Reminder.objects.filter(read_at=None).count() == 1


def test_a_partner_user_uses_the_portal_not_the_staff_list(client):
    membership = factories.PortalMembershipFactory()
    make_reminders(membership.user, 1)
    client.force_login(membership.user)
    assert client.get(reverse("notification_list")).status_code == 403
