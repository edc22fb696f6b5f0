import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from planning.models import CalendarFeedToken
from planning.services import calendar_feed_token_issue, calendar_feed_token_revoke
from planning.services.reminders import calendar_token_hash
from tests.planning.scenario import build_year

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
SEPTEMBER = dt.datetime(2026, 9, 1, 9, tzinfo=LONDON)


@pytest.fixture
def year():
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=LONDON), tick=False):
        return build_year()


def feed(client, secret: str):
    return client.get(reverse("calendar_feed", args=[secret]))


def events(response) -> dict[str, str]:
    calendar = Calendar.from_ical(response.content)
    return {
        str(e["uid"]).split("@")[0]: str(e["summary"]) for e in calendar.walk("VEVENT")
    }


def test_issuing_a_token_stores_only_its_hash(year):
    token, secret = calendar_feed_token_issue(user=year.manager)
    assert len(secret) >= 40
    assert token.token_hash == calendar_token_hash(secret)
    assert secret not in token.token_hash
    assert not CalendarFeedToken.objects.filter(token_hash=secret).exists()


def test_staff_feed_has_their_reviews_mou_ends_and_staff_milestones(client, year):
    _, secret = calendar_feed_token_issue(user=year.manager)
    with time_machine.travel(SEPTEMBER, tick=False):
        response = feed(client, secret)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "private, no-store"
    summaries = events(response)
    assert (
        "Review due: Strategic Co (Quarter 2 monitoring window)" in summaries.values()
    )
    assert "MoU ends: Strategic Co" in summaries.values()
    assert "MoU ends: Supplier Co" in summaries.values()
    # staff-only milestone
    assert "Recognition in the Annual Review" in summaries.values()


def test_feeds_use_all_day_events_with_uk_dates(client, year):
    _, secret = calendar_feed_token_issue(user=year.manager)
    with time_machine.travel(SEPTEMBER, tick=False):
        calendar = Calendar.from_ical(feed(client, secret).content)
    mou = next(
        e
        for e in calendar.walk("VEVENT")
        if str(e["summary"]) == "MoU ends: Strategic Co"
    )
    assert mou.decoded("dtstart") == dt.date(2026, 9, 30)
    assert mou.decoded("dtend") == dt.date(2026, 10, 1)


def test_a_portal_users_feed_shows_only_their_organisation(client, year):
    _, secret = calendar_feed_token_issue(user=year.strategic_user)
    with time_machine.travel(SEPTEMBER, tick=False):
        summaries = set(events(feed(client, secret)).values())
    assert "MoU ends: Strategic Co" in summaries
    assert not any("Partner Co" in s or "Supplier Co" in s for s in summaries)
    assert "Recognition in the Annual Review" not in summaries  # staff only
    assert "Quarter 2 monitoring window" in summaries


def test_a_suppliers_feed_has_no_partnership_milestones(client, year):
    _, secret = calendar_feed_token_issue(user=year.supplier_user)
    with time_machine.travel(SEPTEMBER, tick=False):
        summaries = set(events(feed(client, secret)).values())
    assert summaries == {"MoU ends: Supplier Co"}


def test_a_revoked_or_replaced_token_stops_working(client, year):
    _, old = calendar_feed_token_issue(user=year.manager)
    _, new = calendar_feed_token_issue(user=year.manager)
    assert feed(client, old).status_code == 404
    assert feed(client, new).status_code == 200
    assert calendar_feed_token_revoke(user=year.manager) == 1
    assert feed(client, new).status_code == 404
    assert feed(client, "not-a-token").status_code == 404


def test_the_feed_of_an_inactive_user_is_gone(client, year):
    _, secret = calendar_feed_token_issue(user=year.deputy)
    year.deputy.is_active = False
    year.deputy.save()
    assert feed(client, secret).status_code == 404


@pytest.mark.parametrize("extra_orgs", [0, 20])
def test_feed_query_count_does_not_grow(
    client, year, extra_orgs, django_assert_max_num_queries
):
    from tests import factories

    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=LONDON), tick=False):
        for _ in range(extra_orgs):
            org = factories.OrganisationFactory(owner=year.manager)
            factories.MoUFactory(organisation=org)
    _, secret = calendar_feed_token_issue(user=year.manager)
    with django_assert_max_num_queries(8):
        assert feed(client, secret).status_code == 200


def test_staff_manage_their_feed_and_see_the_link_once(client, year):
    client.force_login(year.manager)
    page = reverse("calendar_feed_manage")
    assert "You have no calendar feed." in client.get(page).content.decode()
    response = client.post(page, {"action": "issue"})
    assert response.status_code == 200
    url = response.context["feed_url"]
    assert url.startswith("http://testserver/calendar/")
    assert url.endswith(".ics")
    secret = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert feed(client, secret).status_code == 200
    assert secret not in client.get(page).content.decode()
    client.post(page, {"action": "revoke"})
    assert feed(client, secret).status_code == 404


def test_partner_users_may_read_their_feed_despite_the_portal_fence(client, year):
    _, secret = calendar_feed_token_issue(user=year.supporter_user)
    client.force_login(year.supporter_user)
    assert feed(client, secret).status_code == 200
    # The staff page that issues feeds is not theirs (the portal offers its own).
    assert client.get(reverse("calendar_feed_manage")).status_code == 403
