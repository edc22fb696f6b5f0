"""Rules over time: the daily check finds associations that no longer meet their
level's conditions, reminds before due diligence expires, escalates once it has
lapsed, and demotes nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from ceop_crm import mail as outbox
from partners.models import DueDiligence, MoU, Organisation
from partners.selectors import organisation_filter_at_risk, organisation_list
from partners.services import mou_terminate
from planning.models import Reminder
from planning.services import reminders_sweep
from tests import factories
from tiers.models import Association
from tiers.services import association_start

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
START = dt.date(2026, 4, 1)
EXPIRES = dt.date(2026, 12, 31)


STANDING = [
    Reminder.Step.DUE_DILIGENCE_ENDING_90,
    Reminder.Step.DUE_DILIGENCE_ENDING_30,
    Reminder.Step.DUE_DILIGENCE_ENDING_7,
    Reminder.Step.ASSOCIATION_AT_RISK,
]


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 5), tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _broker_not_paused(monkeypatch):
    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)


def associated(code: str, *, owner=None, deputy=None, expires=EXPIRES, mou=True):
    """An organisation at a level from START, started through the service."""
    organisation = factories.OrganisationFactory(owner=owner, deputy=deputy)
    factories.DueDiligenceFactory(
        organisation=organisation,
        assessed_on=START - dt.timedelta(days=30),
        expires_on=expires,
    )
    agreement = None
    if mou:
        agreement = factories.MoUFactory(
            organisation=organisation,
            signed_on=START - dt.timedelta(days=10),
            start=START,
            end=dt.date(2028, 3, 31),
        )
    with time_machine.travel(at(START), tick=False):
        association_start(
            organisation=organisation,
            tier=factories.tier(code),
            start=START,
            actor=None,
            mou=agreement,
        )
    return organisation


def at_risk_on(day: dt.date) -> dict[int, tuple[bool, bool]]:
    return {
        org.pk: (org.at_risk_mou, org.at_risk_due_diligence)
        for org in organisation_filter_at_risk(
            queryset=organisation_list(today=day), today=day
        )
    }


# --- The one selector -----------------------------------------------------------


def test_a_partner_whose_mou_was_terminated_is_at_risk():
    partner = associated("partner")
    mou = partner.mous.get()
    day = dt.date(2026, 6, 1)
    with time_machine.travel(at(day), tick=False):
        assert at_risk_on(day) == {}
        mou_terminate(mou=mou, on=day, reason="Withdrew.", actor=None)

    assert at_risk_on(day + dt.timedelta(days=1)) == {partner.pk: (True, False)}
    assert partner.associations.get().end is None  # nothing demoted


def test_due_diligence_lapsing_puts_any_association_at_risk_but_not_a_supplier():
    supporter = associated("official-supporter", mou=False)
    associated("supplier", mou=False)

    assert at_risk_on(EXPIRES - dt.timedelta(days=1)) == {}
    # Due diligence counts until the day before it expires (expires_on > day).
    assert at_risk_on(EXPIRES) == {supporter.pk: (False, True)}


def test_an_official_supporter_needs_no_mou():
    supporter = associated("official-supporter", mou=False)

    assert supporter.pk not in at_risk_on(dt.date(2026, 6, 1))


def test_a_rejected_assessment_dated_to_expire_later_does_not_keep_it_off_risk():
    supporter = associated("official-supporter", mou=False)
    DueDiligence.objects.create(
        organisation=supporter,
        assessed_on=dt.date(2026, 11, 1),
        expires_on=dt.date(2028, 1, 1),
        outcome=DueDiligence.Outcome.REJECTED,
    )

    assert at_risk_on(EXPIRES) == {supporter.pk: (False, True)}


def test_the_at_risk_filter_is_the_complement_of_not_at_risk():
    risky = associated("official-supporter", mou=False, expires=START.replace(day=20))
    safe = associated("official-supporter", mou=False)
    day = dt.date(2026, 6, 1)
    listed = organisation_list(today=day)

    at_risk = organisation_filter_at_risk(queryset=listed, today=day)
    not_at_risk = organisation_filter_at_risk(queryset=listed, today=day, at_risk=False)

    assert [o.pk for o in at_risk] == [risky.pk]
    assert safe.pk in {o.pk for o in not_at_risk}
    assert risky.pk not in {o.pk for o in not_at_risk}


# --- The daily check in the sweep ----------------------------------------------------


def _steps(user, subject_type: str = "due_diligence") -> list[tuple[dt.date, str]]:
    return sorted(
        (r.created_at.astimezone(LONDON).date(), r.step)
        for r in Reminder.objects.filter(
            recipient=user, subject_type__startswith=subject_type
        )
    )


def test_due_diligence_expiry_is_reminded_at_90_30_and_7_days_then_escalated_once(
    manager, senior_manager
):
    deputy = factories.UserFactory(username="deputy")
    organisation = associated("partner", owner=manager, deputy=deputy)
    day = EXPIRES - dt.timedelta(days=100)
    with time_machine.travel(at(day), tick=False) as traveller:
        while day <= EXPIRES + dt.timedelta(days=10):
            traveller.move_to(at(day))
            reminders_sweep()
            reminders_sweep()  # however often it runs, each step once
            day += dt.timedelta(days=1)

    expected = [
        (EXPIRES - dt.timedelta(days=90), Reminder.Step.DUE_DILIGENCE_ENDING_90),
        (EXPIRES - dt.timedelta(days=30), Reminder.Step.DUE_DILIGENCE_ENDING_30),
        (EXPIRES - dt.timedelta(days=7), Reminder.Step.DUE_DILIGENCE_ENDING_7),
    ]
    assert _steps(manager) == _steps(deputy) == expected
    assert _steps(senior_manager) == []
    lapsed = [(EXPIRES, Reminder.Step.ASSOCIATION_AT_RISK)]
    for user in (manager, deputy, senior_manager):
        assert _steps(user, "at-risk-due_diligence") == lapsed, user.username
    escalation = Reminder.objects.get(recipient=senior_manager, step=lapsed[0][1])
    assert organisation.name in escalation.title
    assert escalation.url == reverse(
        "partners:organisation_detail", args=[organisation.pk]
    )
    # Nothing is demoted without a senior manager's decision.
    current = Association.objects.get(organisation=organisation, end__isnull=True)
    assert current.tier.code == "partner"


def test_renewed_due_diligence_needs_no_reminder(manager):
    organisation = associated("official-supporter", owner=manager, mou=False)
    factories.DueDiligenceFactory(
        organisation=organisation,
        assessed_on=dt.date(2026, 9, 1),
        expires_on=dt.date(2028, 9, 1),
    )
    for day in (EXPIRES - dt.timedelta(days=30), EXPIRES + dt.timedelta(days=1)):
        with time_machine.travel(at(day), tick=False):
            reminders_sweep()

    assert not Reminder.objects.filter(recipient=manager, step__in=STANDING).exists()


def test_a_lapse_after_a_renewal_is_escalated_again(manager, senior_manager):
    organisation = associated("official-supporter", owner=manager, mou=False)
    with time_machine.travel(at(EXPIRES), tick=False):
        reminders_sweep()
    factories.DueDiligenceFactory(
        organisation=organisation,
        assessed_on=EXPIRES,
        expires_on=dt.date(2027, 6, 30),
    )
    with time_machine.travel(at(dt.date(2027, 6, 30)), tick=False):
        reminders_sweep()
        reminders_sweep()

    assert _steps(senior_manager, "at-risk") == [
        (EXPIRES, Reminder.Step.ASSOCIATION_AT_RISK),
        (dt.date(2027, 6, 30), Reminder.Step.ASSOCIATION_AT_RISK),
    ]


def test_a_strategic_partner_without_an_mou_in_force_is_escalated(
    manager, senior_manager
):
    organisation = associated("strategic-partner", owner=manager)
    day = dt.date(2026, 6, 1)
    with time_machine.travel(at(day), tick=False):
        mou_terminate(
            mou=organisation.mous.get(), on=day, reason="Withdrew.", actor=None
        )
    with time_machine.travel(at(day + dt.timedelta(days=1)), tick=False):
        reminders_sweep()

    (reminder,) = Reminder.objects.filter(recipient=senior_manager, step__in=STANDING)
    assert reminder.step == Reminder.Step.ASSOCIATION_AT_RISK
    assert "no MoU in force" in reminder.title
    assert Reminder.objects.filter(recipient=manager, step=reminder.step).exists()
    assert organisation.mous.get().status == MoU.Status.TERMINATED
    assert Organisation.objects.get(pk=organisation.pk).status == "active"


# --- Where people see it ----------------------------------------------------------


@pytest.fixture
def lapsed(manager):
    """A Partner of the manager's whose MoU was terminated: at risk on the MoU."""
    organisation = associated("partner", owner=manager)
    mou_terminate(
        mou=organisation.mous.get(), on=START, reason="Withdrew.", actor=manager
    )
    return organisation


def test_the_organisation_page_shows_the_risk_and_the_actions_that_resolve_it(
    client, manager, lapsed
):
    client.force_login(manager)
    response = client.get(reverse("partners:organisation_detail", args=[lapsed.pk]))

    page = response.content.decode()
    assert 'id="at-risk"' in page
    assert "No signed MoU in force, which its level needs" in page
    assert reverse("partners:mou_renew", args=[lapsed.mous.get().pk]) not in page
    assert reverse("partners:mou_create", args=[lapsed.pk]) in page  # terminated
    assert reverse("tiers:tier_change_create", args=[lapsed.pk]) in page


def test_an_organisation_in_good_standing_shows_no_risk(client, manager):
    organisation = associated("partner", owner=manager)
    client.force_login(manager)
    response = client.get(
        reverse("partners:organisation_detail", args=[organisation.pk])
    )

    assert 'id="at-risk"' not in response.content.decode()


def test_the_organisation_list_filters_those_at_risk(client, manager, lapsed):
    safe = associated("partner", owner=manager)
    client.force_login(manager)
    url = reverse("partners:organisation_list")

    at_risk = client.get(url, {"at_risk": "true"}).context["page"].object_list
    not_at_risk = client.get(url, {"at_risk": "false"}).context["page"].object_list

    assert [o.pk for o in at_risk] == [lapsed.pk]
    assert safe.pk in {o.pk for o in not_at_risk}
    assert lapsed.pk not in {o.pk for o in not_at_risk}
    assert "At risk" in client.get(url).content.decode()


def test_the_dashboard_lists_those_at_risk_with_their_actions(client, manager, lapsed):
    client.force_login(manager)
    response = client.get("/", {"scope": "mine"})

    assert [o.pk for o in response.context["at_risk"]] == [lapsed.pk]
    assert response.context["at_risk_count"] == 1
    page = response.content.decode()
    assert reverse("tiers:tier_change_create", args=[lapsed.pk]) in page
    assert "Renew the MoU" in page
