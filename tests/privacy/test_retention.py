"""The retention schedule, walking the clock with time-machine."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.core.management import call_command
from django.utils import timezone

from ceop_crm.models import OutboundEmail
from ceop_crm.privacy.models import ErasedRecord, ReadLogEntry, RetentionPeriod
from ceop_crm.privacy.selectors import PersonQuery
from ceop_crm.privacy.services import (
    person_erase,
    read_log_record,
    retention_apply,
)
from partners.models import Contact, Organisation, Proposal
from planning.models import Reminder
from tests import factories
from tests.privacy.conftest import EMAIL, NAME

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)


def _days(kind: str) -> int:
    return RetentionPeriod.objects.get(kind=kind).days


def test_defaults_come_from_the_data_migration():
    assert RetentionPeriod.objects.count() == 8
    assert _days("sent_email_bodies") == 90


def test_sent_email_bodies_go_after_their_period_and_unsent_stay():
    with time_machine.travel(START, tick=False):
        sent = OutboundEmail.objects.create(
            to=[EMAIL], subject="S", body_text=NAME, sent_at=timezone.now()
        )
        unsent = OutboundEmail.objects.create(to=[EMAIL], subject="U", body_text=NAME)
    with time_machine.travel(START + dt.timedelta(days=89), tick=False):
        retention_apply()
    sent.refresh_from_db()
    assert sent.body_text == NAME
    with time_machine.travel(START + dt.timedelta(days=91), tick=False):
        retention_apply()
    sent.refresh_from_db()
    unsent.refresh_from_db()
    assert sent.body_text == ""
    assert sent.subject == "S"
    assert unsent.body_text == NAME


def test_read_reminders_go_unread_stay(manager):
    with time_machine.travel(START, tick=False):
        read = Reminder.objects.create(
            recipient=manager,
            step="other",
            subject_type="x",
            subject_id=1,
            title="Read",
            read_at=timezone.now(),
        )
        unread = Reminder.objects.create(
            recipient=manager,
            step="other",
            subject_type="x",
            subject_id=2,
            title="Unread",
        )
    with time_machine.travel(START + dt.timedelta(days=181), tick=False):
        retention_apply()
    assert not Reminder.objects.filter(pk=read.pk).exists()
    assert Reminder.objects.filter(pk=unread.pk).exists()


def test_declined_proposal_senders_are_cleared_accepted_kept(senior_manager):
    organisation = factories.OrganisationFactory()
    with time_machine.travel(START, tick=False):
        declined = factories.ProposalFactory(
            organisation=organisation,
            contact_name=NAME,
            contact_email=EMAIL,
            status="declined",
            decline_reason="Out of scope",
            decided_at=timezone.now(),
        )
        waiting = factories.ProposalFactory(
            organisation=organisation, contact_name=NAME, contact_email=EMAIL
        )
    with time_machine.travel(START + dt.timedelta(days=364), tick=False):
        retention_apply()
    declined.refresh_from_db()
    assert declined.contact_email == EMAIL
    with time_machine.travel(START + dt.timedelta(days=366), tick=False):
        retention_apply()
    declined.refresh_from_db()
    waiting.refresh_from_db()
    assert (declined.contact_name, declined.contact_email) == ("[erased]", "")
    assert not Proposal.history.filter(id=declined.pk, contact_email=EMAIL).exists()
    assert waiting.contact_email == EMAIL


def test_contacts_of_ended_relationships_are_anonymised_after_their_period(
    django_capture_on_commit_callbacks,
):
    from django.core.cache import caches

    from partners.reports import FIGURES_VERSION_KEY

    with time_machine.travel(START, tick=False):
        ended = factories.OrganisationFactory(status=Organisation.Status.ENDED)
        active = factories.OrganisationFactory(status=Organisation.Status.ACTIVE)
        gone = factories.ContactFactory(organisation=ended, name=NAME, email=EMAIL)
        kept = factories.ContactFactory(organisation=active, name=NAME, email=EMAIL)
    with time_machine.travel(START + dt.timedelta(days=729), tick=False):
        retention_apply()
    gone.refresh_from_db()
    assert gone.name == NAME
    version = caches["shared"].get(FIGURES_VERSION_KEY)
    with (
        time_machine.travel(START + dt.timedelta(days=731), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        retention_apply()
    # Anonymised by UPDATE: the counts shared between requests (the
    # organisation list's search) are bumped by the anonymising itself.
    assert caches["shared"].get(FIGURES_VERSION_KEY) != version
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert (gone.name, gone.email) == ("Erased contact", "")
    assert not Contact.history.filter(id=gone.pk, name=NAME).exists()
    assert kept.name == NAME


def test_history_of_erased_people_goes_after_its_period(person, dpo):
    with time_machine.travel(START, tick=False):
        person_erase(
            query=PersonQuery.of(email=EMAIL), reason="Request DP-1.", actor=dpo
        )
    assert Contact.history.filter(id=person.contact.pk).exists()
    with time_machine.travel(START + dt.timedelta(days=31), tick=False):
        retention_apply()
    assert not Contact.history.filter(id=person.contact.pk).exists()
    assert Contact.objects.filter(pk=person.contact.pk).exists()
    assert not ErasedRecord.objects.filter(history_purged_at=None).exists()


def test_failed_sign_ins_and_the_read_log_go_after_their_periods(manager):
    with time_machine.travel(START, tick=False):
        AccessAttempt.objects.create(
            username="x", ip_address="192.0.2.1", failures_since_start=1
        )
        AccessFailureLog.objects.create(username="x", ip_address="192.0.2.1")
        read_log_record(user=manager, kind="person_search", what="Search")
    with time_machine.travel(START + dt.timedelta(days=91), tick=False):
        retention_apply()
    assert not AccessAttempt.objects.exists()
    assert not AccessFailureLog.objects.exists()
    assert ReadLogEntry.objects.count() == 1
    with time_machine.travel(START + dt.timedelta(days=731), tick=False):
        retention_apply()
    assert not ReadLogEntry.objects.exists()


def test_a_changed_period_applies_and_batches_cover_everything():
    RetentionPeriod.objects.filter(kind="sent_email_bodies").update(days=10)
    with time_machine.travel(START, tick=False):
        OutboundEmail.objects.bulk_create(
            OutboundEmail(
                to=[EMAIL], subject="S", body_text="b", sent_at=timezone.now()
            )
            for _ in range(7)
        )
    with time_machine.travel(START + dt.timedelta(days=11), tick=False):
        done = retention_apply(batch_size=3)
    assert done["sent_email_bodies:sent emails"] == 7
    assert not OutboundEmail.objects.exclude(body_text="").exists()


def test_dry_run_lists_what_would_go_and_changes_nothing():
    with time_machine.travel(START, tick=False):
        email = OutboundEmail.objects.create(
            to=[EMAIL], subject="S", body_text="b", sent_at=timezone.now()
        )
    out = StringIO()
    with time_machine.travel(START + dt.timedelta(days=91), tick=False):
        call_command("retention", "--dry-run", stdout=out)
    assert f"would clear the body of sent emails: 1 — ids {email.pk}" in out.getvalue()
    email.refresh_from_db()
    assert email.body_text == "b"


def test_a_period_of_no_days_is_refused_in_admin(superuser):
    from django.urls import reverse

    from tests.privacy.conftest import signed_in

    period = RetentionPeriod.objects.get(kind="read_log")
    response = signed_in(superuser).post(
        reverse("admin:privacy_retentionperiod_change", args=[period.pk]),
        {"days": "0", "description": "x"},
    )
    assert response.status_code == 200
    assert "at least one day" in response.content.decode()
    period.refresh_from_db()
    assert period.days == 730


def test_beat_runs_the_schedule_daily_and_the_export_sweep(settings):
    from ceop_crm.celery import app

    schedule = {
        entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert "privacy.retention_apply" in schedule
    assert "privacy.subject_access_exports_sweep" in schedule
    app.loader.import_default_modules()
    assert {"privacy.retention_apply", "privacy.subject_access_exports_sweep"} <= set(
        app.tasks
    )


def test_what_retention_clears_is_read_afresh_once_it_commits(
    django_capture_on_commit_callbacks,
):
    """Its UPDATEs send no signal: the figures and rows shared between
    requests (partners.reports.figures) get a new version all the same."""
    from django.core.cache import caches

    from partners.reports import FIGURES_VERSION_KEY

    with time_machine.travel(START, tick=False):
        factories.ProposalFactory(
            contact_name=NAME,
            contact_email=EMAIL,
            status="declined",
            decline_reason="Out of scope",
            decided_at=timezone.now(),
        )
    caches["shared"].set(FIGURES_VERSION_KEY, 7)
    with (
        time_machine.travel(START + dt.timedelta(days=366), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        retention_apply()
    assert caches["shared"].get(FIGURES_VERSION_KEY) != 7
