"""The words of the reminders and the links they carry."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from planning.services.reminders.base import Step

MONTHS = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _uk(day: dt.date) -> str:
    """A UK date in words, "5 March 2027" (date_format costs too much per row)."""
    return f"{day.day} {MONTHS[day.month]} {day.year}"


def _path(names: Iterable[str], fallback: str, **kwargs) -> str:
    for name in names:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return fallback


def _review_texts(step, org_name, window, due, days) -> tuple[str, str]:
    if step == Step.REVIEW_UPCOMING:
        return (
            f"{org_name}: review due on {_uk(due)}",
            f"The {window} review of {org_name} is due on {_uk(due)}. "
            "Agree a date with the organisation and ask for its self-assessment.",
        )
    if step == Step.REVIEW_DUE:
        return (
            f"{org_name}: review due {'today' if days == 0 else _uk(due)}",
            f"The {window} review of {org_name} is due on {_uk(due)}.",
        )
    if step == Step.REVIEW_OVERDUE:
        return (
            f"{org_name}: review overdue since {_uk(due)}",
            f"The {window} review of {org_name} was due on {_uk(due)} "
            "and has not been completed.",
        )
    return (
        f"Escalated: {org_name} review {days} days overdue",
        f"The {window} review of {org_name} was due on {_uk(due)} and is "
        f"still not complete {days} days later. It is escalated to you.",
    )


def _mou_texts(step, title, org_name, end, left) -> tuple[str, str]:
    if step == Step.MOU_ENDED:
        return (
            f"{org_name}: MoU ended on {_uk(end)} without renewal",
            f"The {title} with {org_name} ended on {_uk(end)} and has not "
            "been renewed. A Strategic Partner or Partner needs a signed MoU "
            "in force.",
        )
    when = "today" if left == 0 else f"in {left} days, on {_uk(end)}"
    return (
        f"{org_name}: MoU ends {when}",
        f"The {title} with {org_name} ends {when}. "
        "Agree its renewal or plan the end of the association.",
    )


def _due_diligence_texts(org_name, expires, left) -> tuple[str, str]:
    when = f"in {left} days, on {_uk(expires)}"
    return (
        f"{org_name}: due diligence expires {when}",
        f"The due diligence of {org_name} expires {when}. Record a new "
        "assessment before then: an association needs approved due diligence "
        "in force.",
    )


AT_RISK_TEXTS = {
    "mou": (
        "no MoU in force",
        "A {tier} needs a signed MoU in force, and {org} has none{since}. "
        "Renew the MoU, or propose a move for a senior manager to decide.",
    ),
    "due_diligence": (
        "due diligence lapsed",
        "{org} has no approved due diligence in force{since}, which any "
        "association needs. Record new due diligence, or propose a move for a "
        "senior manager to decide.",
    ),
}


def _at_risk_texts(reason, org_name, tier, since) -> tuple[str, str]:
    headline, body = AT_RISK_TEXTS[reason]
    return (
        f"{org_name}: at risk, {headline}",
        body.format(
            tier=tier, org=org_name, since=f" since {_uk(since)}" if since else ""
        )
        + " It stays at its level until then.",
    )


@dataclass
class _Paths:
    """Links of the items, resolved once per sweep (other apps own these URLs)."""

    def staff_mou(self, mou_id: int) -> str:
        return self._mou.replace("999999", str(mou_id))

    def staff_issue(self, issue_id: int) -> str:
        return self._issue.replace("999999", str(issue_id))

    def staff_review(self, review_id: int) -> str:
        return self._review.replace("999999", str(review_id))

    def staff_due_diligence(self, due_diligence_id: int) -> str:
        return self._due_diligence.replace("999999", str(due_diligence_id))

    def staff_organisation(self, organisation_id: int) -> str:
        return self._organisation.replace("999999", str(organisation_id))

    def portal_review(self, review_id: int) -> str:
        return self._portal_review.replace("999999", str(review_id))

    def __post_init__(self) -> None:
        self._mou = _path(["partners:mou_detail"], "/mous/999999/", pk=999999)
        self._issue = _path(["partners:issue_detail"], "/issues/999999/", pk=999999)
        self._review = _path(["planning:review_detail"], "/reviews/999999/", pk=999999)
        self._due_diligence = _path(
            ["partners:due_diligence_detail"], "/due-diligence/999999/", pk=999999
        )
        self._organisation = _path(
            ["partners:organisation_detail"], "/organisations/999999/", pk=999999
        )
        self._portal_review = _path(
            ["portal:self_assessment"],
            "/portal/reviews/999999/self-assessment/",
            review_pk=999999,
        )
        self.portal_home = _path(["portal:home"], "/portal/")
        self.portal_organisation = _path(["portal:organisation"], "/portal/")
        self.staff_home = "/"
