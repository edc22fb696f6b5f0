"""htmx updates with the keyboard and a screen reader's ears (issue 16).

Marking a notification read replaces its row: the pressed button goes with it.
With keys only, the test marks one read and checks where the focus went (the
next notification's button, with a visible focus ring) and what the page's live
region (#htmx-announcer, static/js/htmx-announce.js) now says. The other swaps'
announcements are checked without a browser in tests/test_htmx_updates.py.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from planning.models import Reminder
from tests.browser.conftest import BROWSER_DB
from tests.browser.test_keyboard_only import focused, saying, tab_to
from tests.clients import VerifiedClient

pytestmark = [pytest.mark.browser, BROWSER_DB]

ACTIVE = """() => {
  const el = document.activeElement;
  const form = el && el.closest("form");
  return {tag: el.tagName.toLowerCase(), text: el.innerText.trim(),
          action: form ? form.getAttribute("action") : null};
}"""


def _signed_in(page, live_server, user) -> None:
    client = VerifiedClient()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_marking_a_notification_read_with_keys_keeps_focus_and_says_so(
    page, page_problems, live_server, manager, shot
):
    first, second = (
        Reminder.objects.create(
            recipient=manager,
            step=Reminder.Step.REVIEW_DUE,
            subject_type="review",
            subject_id=number,
            title=f"Review {number} of Harbour Trust due",
            body="Due today.",
        )
        for number in (1, 2)
    )
    _signed_in(page, live_server, manager)
    page.goto("/notifications/")
    announcer = page.locator("#htmx-announcer")
    assert announcer.get_attribute("aria-live") == "polite"
    assert announcer.get_attribute("role") == "status"
    assert announcer.inner_text() == ""

    # The newest first: the second reminder's row comes first.
    tab_to(page, saying("Mark read"), what="the first Mark read button")
    assert page.evaluate(ACTIVE)["action"] == reverse(
        "notification_read", args=[second.pk]
    )
    page.keyboard.press("Enter")

    page.wait_for_function(
        "() => document.getElementById('htmx-announcer').textContent.length > 0"
    )
    assert announcer.inner_text() == (f"Marked as read: {second.title}. 1 unread.")
    # The focus went on to the next notification's button, and shows.
    assert page.evaluate(ACTIVE) == {
        "tag": "button",
        "text": "Mark read",
        "action": reverse("notification_read", args=[first.pk]),
    }
    assert focused(page)["visibleFocus"]
    assert page.locator("#unread-count").inner_text() == "1 unread"
    # The navigation's count follows.
    # (Its words are visually hidden, which innerText reads as a line of their own.)
    nav_count = page.locator("#nav-unread").text_content() or ""
    assert " ".join(nav_count.split()) == "1 unread"
    second.refresh_from_db()
    assert second.read_at is not None
    shot(page, "notification-marked-read")

    # Enter again marks the next one; nothing left after it: the focus stays
    # in the row just replaced (its Mark unread button).
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.getElementById('htmx-announcer').textContent"
        ".startsWith('Marked as read: Review 1')"
    )
    assert announcer.inner_text() == f"Marked as read: {first.title}. 0 unread."
    assert page.evaluate(ACTIVE) == {
        "tag": "button",
        "text": "Mark unread",
        "action": reverse("notification_read", args=[first.pk]),
    }
    assert not page_problems, page_problems
