"""Colour is never the only signal (WCAG 1.4.1, issue 16): whatever a page marks
in red (an overdue review or task, a risk, a refusal) also says in words what it
is, so someone who cannot tell red from black reads it too."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from activities.services import task_create
from tests.clients import VerifiedClient
from tests.workspace_world import build_world

pytestmark = pytest.mark.django_db

RED = re.compile(r"\b(text-danger|text-bg-danger|bg-danger)\b")
# Words that only say when: a red date alone says nothing of why it is red.
WHEN = {
    "due", "since", "on", "by",
    *["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"],
}  # fmt: skip


class _Red(HTMLParser):
    """The text of each element a red class marks (nested elements included)."""

    def __init__(self) -> None:
        super().__init__()
        self.marked: list[str] = []
        self._open: list[tuple[str, int]] = []  # (tag, index into marked)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("input", "br", "img", "hr", "meta", "link"):
            return
        classes = dict(attrs).get("class") or ""
        if RED.search(classes) and "invalid-feedback" not in classes:
            self.marked.append("")
            self._open.append((tag, len(self.marked) - 1))
        else:
            self._open.append((tag, -1))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            opened, _ = self._open.pop()
            if opened == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, index in self._open:
            if index >= 0:
                self.marked[index] += data


def _says_what(text: str) -> bool:
    if text.strip().isdigit():
        return True  # a count in red: its label is beside it (a card, a heading)
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    return bool(words - WHEN)


def test_overdue_reviews_and_tasks_say_overdue_in_words(manager):
    world = build_world(owner=manager)
    organisation = world.organisation
    task_create(
        actor=manager,
        organisation=organisation,
        title="Send the draft MoU",
        due_on=timezone.localdate() + dt.timedelta(days=1),
        assignee=manager,
    )
    pages = [
        "/",
        reverse("partners:organisation_list"),
        reverse("partners:organisation_detail", args=[organisation.pk]),
        reverse("planning:review_list") + "?show=overdue&scope=all",
        reverse("activities:task_list"),
    ]
    # Half a year on, the first reviews and the task are overdue.
    with time_machine.travel(timezone.now() + dt.timedelta(days=190), tick=False):
        client = VerifiedClient()
        client.force_login(manager)  # a session of that day
        seen = 0
        for address in pages:
            parser = _Red()
            parser.feed(client.get(address).content.decode())
            for text in parser.marked:
                assert _says_what(text), f"{address}: red with no words: {text!r}"
            overdue = [t for t in parser.marked if "overdue" in t.lower()]
            assert overdue, f"{address} marks nothing overdue"
            seen += len(overdue)
    assert seen >= len(pages)
