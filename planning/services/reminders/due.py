"""Everything due on a day, with its recipients, in a fixed number of queries."""

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from ceop_crm.roles import SENIOR_MANAGER, STAFF_ROLES
from partners.models import (
    Contact,
    PortalMembership,
)
from planning.models import (
    Audience,
    MilestoneKind,
    Review,
)
from planning.services.reminders.approvals import approval_notices
from planning.services.reminders.base import Notice, Step, _in, reminder_times
from planning.services.reminders.notices import (
    _at_risk_notices,
    _due_diligence_notices,
    _escalation_levels,
    _issue_notices,
    _milestone_notices,
    _mou_notices,
    _review_notices,
)
from planning.services.reminders.texts import _Paths
from tiers.models import Association


class _People:
    """Who receives what, loaded in a fixed number of queries for a set of organisations."""

    def __init__(self, org_ids: set[int], today: dt.date) -> None:
        user_model = get_user_model()
        self.senior_managers = set(
            user_model.objects.filter(
                is_active=True, groups__name=SENIOR_MANAGER
            ).values_list("pk", flat=True)
        )
        self.staff = set(
            user_model.objects.filter(
                is_active=True, groups__name__in=STAFF_ROLES
            ).values_list("pk", flat=True)
        )
        # Organisations whose current level is an association: partner-facing
        # steps reach them; suppliers and the unassociated get none.
        self.associated = set(
            Association.objects.filter(
                end__isnull=True, tier__is_association=True
            ).values_list("organisation_id", flat=True)
        )
        wanted = org_ids & self.associated if org_ids is not None else self.associated
        self.partner_users: dict[int, set[int]] = defaultdict(set)
        member_emails: dict[int, set[str]] = defaultdict(set)
        member_contacts: set[int] = set()
        for user_id, org_id, email, contact_id in PortalMembership.objects.filter(
            organisation_id__in=_in(wanted), user__is_active=True
        ).values_list("user_id", "organisation_id", "user__email", "contact_id"):
            self.partner_users[org_id].add(user_id)
            if email:
                member_emails[org_id].add(email.lower())
            if contact_id:
                member_contacts.add(contact_id)
        # The primary contact gets email only (no account, so no in-app
        # notice), unless they are a portal user already.
        self.primary_contact: dict[int, tuple[str, str]] = {}
        for contact_id, org_id, name, email in (
            Contact.objects.filter(organisation_id__in=_in(wanted), is_primary=True)
            .exclude(email="")
            .values_list("pk", "organisation_id", "name", "email")
        ):
            if contact_id in member_contacts or email.lower() in member_emails[org_id]:
                continue
            self.primary_contact[org_id] = (email, name)

    def add_partners(self, notice: Notice, org_id: int) -> None:
        if org_id not in self.associated:
            return
        notice.partner_users |= self.partner_users.get(org_id, set())
        contact = self.primary_contact.get(org_id)
        if contact:
            notice.addresses.setdefault(contact[0], contact[1])


def _standing_notices(today, times, paths) -> list[Notice]:
    """Whether each association still meets its level's conditions (the daily check).

    Due diligence expiring goes to the owner and deputy at the MoU steps; an
    association at risk (an MoU or due diligence lapsed) is escalated to the
    senior managers too. Nothing is demoted: a senior manager decides a move.
    """
    expiring = _due_diligence_notices(today, times, paths)
    at_risk = _at_risk_notices(today, paths)
    if at_risk:
        senior_managers = set(
            get_user_model()
            .objects.filter(is_active=True, groups__name=SENIOR_MANAGER)
            .values_list("pk", flat=True)
        )
        for notice, _ in at_risk:
            notice.users |= senior_managers
    return [notice for notice, _ in expiring + at_risk]


def reminders_due(*, today: dt.date) -> list[Notice]:
    """Everything due on the day, with its recipients; reads only, in a fixed number of queries."""
    times = reminder_times()
    paths = _Paths()
    # Follow-up tasks go to their assignee alone (activities/reminders.py,
    # imported here: it reads this package's base).
    from activities.reminders import task_notices

    tasks = task_notices(today=today, catch_up=times.catch_up, paths=paths)
    return _planning_due(today, times, paths) + tasks


def _planning_due(today: dt.date, times, paths: _Paths) -> list[Notice]:
    """The planning cycle's notices: reviews, MoUs, milestones, issues, standing."""
    pending: dict = {"partner_orgs": set(), "escalation_orgs": set(), "hierarchy": {}}
    reviews = _review_notices(today, times, paths, pending)
    mous = _mou_notices(today, times, paths, pending)
    milestones = _milestone_notices(today, times, paths)
    issues = _issue_notices(today, times, paths, pending)
    standing = _standing_notices(today, times, paths) + approval_notices(today)
    if not (reviews or mous or milestones or issues):
        return standing
    if pending["escalation_orgs"] and not pending["hierarchy"]:
        pending["hierarchy"] = _escalation_levels(pending["escalation_orgs"])
    if not (reviews or mous or milestones):
        notices = [notice for notice, _ in issues]
        _addresses_to_users(notices)
        return notices + standing

    partner_milestones = any(m.audience != Audience.STAFF for _, m in milestones)
    monitoring = {
        m.pk: m
        for _, m in milestones
        if m.audience != Audience.STAFF
        and m.kind
        in (MilestoneKind.QUARTERLY_MONITORING, MilestoneKind.ANNUAL_MONITORING)
    }
    reviewed_in: dict[int, set[int]] = defaultdict(set)
    if monitoring:
        for milestone_id, org_id in (
            Review.objects.filter(milestone_id__in=list(monitoring))
            .exclude(status=Review.Status.CANCELLED)
            .values_list("milestone_id", "organisation_id")
        ):
            reviewed_in[milestone_id].add(org_id)
    people = _People(None if partner_milestones else pending["partner_orgs"], today)

    notices: list[Notice] = []
    for notice, org_id in reviews:
        if notice.step == Step.REVIEW_ESCALATED:
            notice.users |= people.senior_managers
            levels = pending["hierarchy"].get(org_id, {})
            above = sorted(level for level in levels if level > 1)
            for level in levels.get(above[0] if above else 1, []):
                if level.email:
                    notice.addresses.setdefault(level.email, level.name)
        else:
            people.add_partners(notice, org_id)
        notices.append(notice)
    for notice, org_id in mous:
        people.add_partners(notice, org_id)
        notices.append(notice)
    for notice, milestone in milestones:
        if milestone.audience in (Audience.STAFF, Audience.BOTH):
            notice.users |= people.staff
        if milestone.audience in (Audience.PARTNERS, Audience.BOTH):
            orgs = (
                reviewed_in.get(milestone.pk, set())
                if milestone.pk in monitoring
                else people.associated
            )
            for org_id in sorted(orgs):
                people.add_partners(notice, org_id)
        notices.append(notice)
    notices += [notice for notice, _ in issues]
    notices += standing
    _addresses_to_users(notices)
    return notices


def _addresses_to_users(notices: list[Notice]) -> None:
    """An address that belongs to an active user becomes that user's reminder."""
    addresses = {a.lower() for n in notices for a in n.addresses}
    if not addresses:
        return
    user_model = get_user_model()
    by_email = {
        email: pk
        for pk, email in user_model.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=_in(addresses, "text"), is_active=True)
        .values_list("pk", "email_lower")
    }
    partner_ids = set(
        PortalMembership.objects.filter(user_id__in=_in(by_email.values())).values_list(
            "user_id", flat=True
        )
    )
    for notice in notices:
        for address in list(notice.addresses):
            user_id = by_email.get(address.lower())
            if user_id is None:
                continue
            del notice.addresses[address]
            if user_id in partner_ids:
                notice.partner_users.add(user_id)
            else:
                notice.users.add(user_id)
