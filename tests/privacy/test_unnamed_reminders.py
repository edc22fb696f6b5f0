"""Reminders whose words name nobody (planning/personal_data.py, UNNAMED_STEPS):
the sweep writes them from organisations' names, levels and dates, so the
person search does not read their words, and their words are not indexed."""

import datetime as dt
import importlib
import random
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat

from ceop_crm.privacy.selectors import PersonQuery, person_search
from partners.models import (
    Contact,
    DueDiligence,
    MoU,
    Organisation,
    OwnershipLevel,
    RelationshipIssue,
)
from planning.management.commands.bench_sweep import Command as BenchSweep
from planning.models import Reminder
from planning.personal_data import UNNAMED_STEPS
from planning.services import reminders_sweep
from tests import factories
from tiers.models import TierChange

pytestmark = pytest.mark.django_db

MARK = "Quorra"
Step = Reminder.Step


def _swept_world_naming_everyone() -> None:
    """The sweep benchmark's world on 40 organisations, with due diligence
    running out, a tier move waiting, and every person in it named MARK
    (users, contacts, signatories, ownership levels, notes, reasons, issues),
    swept once."""
    bench = BenchSweep(stdout=StringIO())
    bench.rng = random.Random(7)
    now = bench._seed(40)
    sweep_day = now.date()
    organisations = list(Organisation.objects.order_by("pk"))
    for organisation in organisations[:3]:
        factories.DueDiligenceFactory(
            organisation=organisation,
            expires_on=sweep_day + dt.timedelta(days=5),
            notes=f"Checked with {MARK}.",
        )
    TierChange.objects.create(
        organisation=organisations[3],
        to_tier=factories.tier("partner"),
        direction=TierChange.Direction.UP,
        effective_date=sweep_day + dt.timedelta(days=30),
        reason=f"Asked for by {MARK}.",
        requested_by=get_user_model().objects.first(),
    )
    get_user_model().objects.update(
        first_name=MARK, last_name=Concat(Value("Person "), Cast("pk", CharField()))
    )
    Contact.objects.update(name=f"{MARK} Contact")
    MoU.objects.update(ceop_signatory=MARK, partner_signatory=MARK)
    OwnershipLevel.objects.update(name=f"{MARK} Level")
    DueDiligence.objects.update(notes=f"Checked with {MARK}.")
    # Free text, which may name anyone: the issue's escalation copies it.
    RelationshipIssue.objects.update(title=f"Call {MARK} back")
    reminders_sweep(now=now)


def test_the_sweep_names_nobody_in_the_reminders_whose_words_are_not_searched():
    _swept_world_naming_everyone()
    steps = set(Reminder.objects.values_list("step", flat=True))
    naming = Reminder.objects.filter(Q(title__icontains=MARK) | Q(body__icontains=MARK))

    # Each kind of unnamed reminder was written, and free text was copied.
    assert Step.ASSOCIATION_AT_RISK in steps
    assert Step.APPROVAL_WAITING in steps
    assert steps & {Step.DUE_DILIGENCE_ENDING_7, Step.DUE_DILIGENCE_ENDING_30}
    assert steps & {Step.MOU_ENDING_90, Step.MOU_ENDING_30, Step.MOU_ENDED}
    assert steps & {Step.REVIEW_DUE, Step.REVIEW_UPCOMING, Step.REVIEW_OVERDUE}
    assert naming.filter(step=Step.ISSUE_ESCALATION).exists()
    unnamed_naming = list(
        naming.filter(step__in=UNNAMED_STEPS).values_list("step", "title", "body")
    )
    assert unnamed_naming == []


def _reminder(recipient, step, subject_id: int, title: str, body: str = ""):
    return Reminder.objects.create(
        recipient=recipient,
        step=step,
        subject_type="task" if step == Step.TASK_DUE else "review",
        subject_id=subject_id,
        title=title,
        body=body,
    )


def test_the_search_reads_the_words_of_other_reminders_only():
    person = factories.UserFactory(first_name="Ada", last_name="Stone")
    other = factories.UserFactory()
    named = _reminder(other, Step.TASK_DUE, 1, "Call Ada Stone about the training")
    # Words no sweep writes for this step, to show they are not read.
    unread = _reminder(other, Step.REVIEW_DUE, 1, "Review due", body="Ada Stone")
    addressed = _reminder(person, Step.REVIEW_DUE, 2, "Review due")

    matches = person_search(
        query=PersonQuery.of(name="Ada Stone", email="", exact=False)
    )

    found = {m.object_id for m in matches if m.source.key == "reminder"}
    assert named.pk in found
    assert addressed.pk in found  # through its recipient, whatever its words
    assert unread.pk not in found


def test_the_index_migration_names_the_codes_steps():
    migration = importlib.import_module(
        "ceop_crm.privacy.migrations.0006_reminder_text_indexes_named_steps_only"
    )

    assert tuple(str(step) for step in UNNAMED_STEPS) == migration.UNNAMED_STEPS
