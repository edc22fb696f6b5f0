"""A whole planning year, day by day, with the hourly sweep: who is reminded of what, when.

The year 2026/27 runs 1 April 2026 to 31 March 2027 with the default cycle; the
walk goes on to 30 April 2027, the month after the year in which its fourth
quarter and the Official Supporter's year are reviewed.
Reviews are completed on their due day, except the Partner's second-quarter
review, left undone until 30 November so that it becomes overdue and is
escalated. The Partner's relationship issue is raised on 1 June and never
resolved.
"""

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from ceop_crm.models import OutboundEmail
from planning.models import Milestone, Reminder, Review
from planning.services import reminders_sweep, review_complete
from tests.planning.scenario import YEAR_END, YEAR_START, build_year, raise_issue

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
D = dt.date
WALK_END = YEAR_END + dt.timedelta(days=30)

# The steps of a review completed on its due day: 14 days before, on the day.
QUARTERS = {
    "Q1": D(2026, 7, 31),
    "Q2": D(2026, 10, 31),
    "Q3": D(2027, 1, 31),
    # Reviewed in the month after the year ends, still a review of 2026/27.
    "Q4": D(2027, 4, 30),
}


def on_time(label: str, due: dt.date) -> set:
    return {
        (due - dt.timedelta(days=14), "review_upcoming", label),
        (due, "review_due", label),
    }


def quarterly(org: str) -> set:
    return set().union(*(on_time(f"{org} {q}", due) for q, due in QUARTERS.items()))


STRATEGIC_REVIEWS = quarterly("Strategic")
PARTNER_REVIEWS = quarterly("Partner") | {
    (D(2026, 11, 7), "review_overdue", "Partner Q2"),
}
SUPPORTER_REVIEWS = on_time("Supporter annual", D(2027, 4, 30))
STRATEGIC_MOU = {
    (D(2026, 7, 2), "mou_ending_90", "Strategic MoU"),
    (D(2026, 8, 31), "mou_ending_30", "Strategic MoU"),
    (D(2026, 9, 23), "mou_ending_7", "Strategic MoU"),
    (D(2026, 10, 1), "mou_ended", "Strategic MoU"),
}
SUPPLIER_MOU = {
    (D(2026, 11, 2), "mou_ending_90", "Supplier MoU"),
    (D(2027, 1, 1), "mou_ending_30", "Supplier MoU"),
    (D(2027, 1, 24), "mou_ending_7", "Supplier MoU"),
    (D(2027, 2, 1), "mou_ended", "Supplier MoU"),
}
# Each milestone 14 days ahead (its lead time), to its audience.
MILESTONE_DAYS = {
    "Strategic Threat Assessment published": D(2026, 4, 16),
    "Centre Plan published": D(2026, 5, 17),
    "Priorities for external support published": D(2026, 6, 1),
    "Quarter 1 monitoring window": D(2026, 6, 17),
    "Quarter 2 monitoring window": D(2026, 9, 17),
    "Quarter 3 monitoring window": D(2026, 12, 18),
    "Quarter 4 monitoring window": D(2027, 3, 18),
    "Annual monitoring": D(2027, 3, 18),
    "Recognition in the Annual Review": D(2027, 3, 1),
}


def milestones(*names: str) -> set:
    return {(MILESTONE_DAYS[name], "milestone_upcoming", name) for name in names}


ALL_MILESTONES = milestones(*MILESTONE_DAYS)
PUBLISHED = (
    "Strategic Threat Assessment published",
    "Centre Plan published",
    "Priorities for external support published",
)
QUARTER_WINDOWS = tuple(f"Quarter {n} monitoring window" for n in (1, 2, 3, 4))
# In April 2027 the next year's first publication comes up, to everyone who
# hears of publications.
NEXT_YEAR = {
    (
        D(2027, 4, 16),
        "milestone_upcoming",
        "Strategic Threat Assessment published (2027/28)",
    )
}
ISSUE = {(D(2026, 6, 16), "issue_escalation", "Partner issue")}
# The Strategic Partner's MoU ended unrenewed: the association is at risk from the
# next day, told once to its owner and deputy and escalated to senior managers.
AT_RISK = {(D(2026, 10, 1), "association_at_risk", "Strategic at risk")}
ESCALATED = {(D(2026, 11, 21), "review_escalated", "Partner Q2")}

EXPECTED_USERS = {
    "manager": STRATEGIC_REVIEWS
    | PARTNER_REVIEWS
    | SUPPORTER_REVIEWS
    | STRATEGIC_MOU
    | SUPPLIER_MOU
    | ALL_MILESTONES
    | NEXT_YEAR
    | ISSUE
    | AT_RISK,
    "deputy": STRATEGIC_REVIEWS
    | PARTNER_REVIEWS
    | STRATEGIC_MOU
    | ALL_MILESTONES
    | NEXT_YEAR
    | ISSUE
    | AT_RISK,
    # Escalations go to the senior manager, who is also the level-2 contact
    # of the Partner's MoU: one reminder each, not two.
    "senior": ALL_MILESTONES | NEXT_YEAR | ESCALATED | ISSUE | AT_RISK,
    "sol": STRATEGIC_REVIEWS
    | STRATEGIC_MOU
    | milestones(*PUBLISHED, *QUARTER_WINDOWS)
    | NEXT_YEAR,
    "ola": SUPPORTER_REVIEWS | milestones(*PUBLISHED, "Annual monitoring") | NEXT_YEAR,
    # A supplier is paid in full, not associated: no partner-facing reminder.
    "sid": set(),
}
EXPECTED_ADDRESSES = {
    # The Partner's primary contact has no account: email only.
    "pat@partner.example": PARTNER_REVIEWS
    | milestones(*PUBLISHED, *QUARTER_WINDOWS)
    | NEXT_YEAR,
    # The partner side's level-2 contact of the MoU's ownership hierarchy.
    "director@partner.example": ESCALATED | ISSUE,
}


def _label(reminder_subject: tuple[str, int], names: dict) -> str:
    subject_type, subject_id = reminder_subject
    return names[subject_type, subject_id]


def _subject_names(year) -> dict:
    short = {
        year.strategic.pk: "Strategic",
        year.partner.pk: "Partner",
        year.supporter.pk: "Supporter",
        year.supplier.pk: "Supplier",
    }
    names = {}
    for review in Review.objects.select_related("milestone"):
        window = (
            f"Q{review.milestone.quarter}" if review.milestone.quarter else "annual"
        )
        names["review", review.pk] = f"{short[review.organisation_id]} {window}"
    for org_id, name in short.items():
        for mou_id in year.strategic.__class__.objects.get(pk=org_id).mous.values_list(
            "pk", flat=True
        ):
            names["mou", mou_id] = f"{name} MoU"
    for milestone in Milestone.objects.select_related("planning_year"):
        label = milestone.planning_year.label
        names["milestone", milestone.pk] = (
            milestone.name if label == "2026/27" else f"{milestone.name} ({label})"
        )
    return names


def test_a_planning_year_reminds_each_person_of_the_right_things_on_the_right_days():
    with time_machine.travel(
        dt.datetime(2026, 4, 1, 9, 0, tzinfo=LONDON), tick=False
    ) as traveller:
        year = build_year()
        reviews = {
            (r.organisation_id, r.due_on): r
            for r in Review.objects.filter(status=Review.Status.SCHEDULED)
        }
        day = YEAR_START
        while day <= WALK_END:
            traveller.move_to(dt.datetime.combine(day, dt.time(9, 0), tzinfo=LONDON))
            reminders_sweep()
            if day == D(2026, 6, 1):
                issue = raise_issue(year)
            # Reviews are completed on their due day, after the morning sweep,
            # except the Partner's Q2 review, done a month late.
            late = (year.partner.pk, D(2026, 10, 31))
            for (org_id, due), review in reviews.items():
                if (due == day and (org_id, due) != late) or (
                    (org_id, due) == late and day == D(2026, 11, 30)
                ):
                    review_complete(
                        review=review,
                        actor=year.manager,
                        progress="On track.",
                        benefits_to_ceop="Expertise.",
                        benefits_to_partner="Recognition.",
                        recommendation=Review.Recommendation.STAY,
                    )
            day += dt.timedelta(days=1)

    names = _subject_names(year)
    names |= {(f"issue-level-{issue.escalation_level}", issue.pk): "Partner issue"}
    names |= {("at-risk-mou-20260930", year.strategic.pk): "Strategic at risk"}
    got_users: dict[str, set] = defaultdict(set)
    for reminder in Reminder.objects.select_related("recipient"):
        got_users[reminder.recipient.username].add(
            (
                timezone.localtime(reminder.created_at).date(),
                reminder.step,
                _label((reminder.subject_type, reminder.subject_id), names),
            )
        )
    for username, expected in EXPECTED_USERS.items():
        assert got_users.get(username, set()) == expected, username
    assert set(got_users) <= set(EXPECTED_USERS)
    # Each (person, subject, step) once: the rows are exactly the expected ones.
    assert Reminder.objects.count() == sum(len(v) for v in EXPECTED_USERS.values())

    got_addresses: dict[str, set] = defaultdict(set)
    for email in OutboundEmail.objects.all():
        _, subject_type, subject_id, step, _ = email.key.split(":", 4)
        got_addresses[email.to[0]].add(
            (
                timezone.localtime(email.created_at).date(),
                step,
                _label((subject_type, int(subject_id)), names),
            )
        )
    assert dict(got_addresses) == EXPECTED_ADDRESSES
    assert OutboundEmail.objects.count() == sum(
        len(v) for v in EXPECTED_ADDRESSES.values()
    )
