"""seed_demo tells a coherent story: things happen in the order they must, and
nothing dated after today claims to have happened.

tests/partners/test_seed_demo.py checks the strategy's rules over the demo data;
this checks its chronology: no MoU drafted after it was signed, no tier move
asked after it was decided, same-day events in order (on each organisation's
timeline too), nothing in the future that says it happened.
"""

import datetime as dt
import itertools
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partners.models import MoU, Organisation, Proposal, RelationshipIssue
from planning.models import Review, SelfAssessment
from tests.clients import VerifiedClient
from tiers.models import Association, BenefitDelivery, TierChange

pytestmark = pytest.mark.django_db

UTC = dt.UTC
DAYS = (dt.date(2026, 11, 28), dt.date(2027, 4, 3))


def _day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else timezone.localtime(moment).date()


def story_breaks(today: dt.date, now: dt.datetime) -> dict[str, list]:
    """Every event of the demo data out of order or in the future, by kind."""
    found: dict[str, list] = {}

    def check(name: str, rows) -> None:
        rows = list(rows)
        if rows:
            found[name] = rows[:5]

    mous = list(MoU.objects.all())
    check(
        "MoU drafted after it was signed",
        (m.pk for m in mous if m.signed_on and _day(m.created_at) > m.signed_on),
    )
    check(
        "MoU signed, terminated or expired in the future",
        (
            m.pk
            for m in mous
            if (m.signed_on and m.signed_on > today)
            or (m.terminated_on and m.terminated_on > today)
            or (m.status == MoU.Status.EXPIRED and m.end and m.end >= today)
        ),
    )
    changes = list(TierChange.objects.all())
    check(
        "tier move asked after (or as) it was decided",
        (c.pk for c in changes if c.decided_at and c.created_at >= c.decided_at),
    )
    check(
        "tier move asked or decided in the future",
        (
            c.pk
            for c in changes
            if c.created_at > now or (c.decided_at and c.decided_at > now)
        ),
    )
    check(
        "approved move decided after it took effect",
        (
            c.pk
            for c in changes
            if c.status == TierChange.Status.APPROVED
            and _day(c.decided_at) > c.effective_date
        ),
    )
    check(
        "association started or ended in the future",
        Association.objects.filter(Q(start__gt=today) | Q(end__gt=today)).values_list(
            "pk", flat=True
        ),
    )
    check(
        "benefit delivered in the future",
        BenefitDelivery.objects.filter(delivered_on__gt=today).values_list(
            "pk", flat=True
        ),
    )
    check(
        "proposal decided before it was made, or in the future",
        (
            p.pk
            for p in Proposal.objects.all()
            if p.created_at > now
            or (p.decided_at and (p.decided_at < p.created_at or p.decided_at > now))
        ),
    )
    check(
        "issue escalated or resolved before it was raised, or in the future",
        (
            i.pk
            for i in RelationshipIssue.objects.all()
            if i.raised_on > today
            or (i.escalated_at and not i.raised_on <= _day(i.escalated_at) <= today)
            or (i.resolved_on and not i.raised_on <= i.resolved_on <= today)
            or (
                i.escalated_at
                and i.resolved_on
                and _day(i.escalated_at) > i.resolved_on
            )
        ),
    )
    check(
        "review completed in the future",
        Review.objects.filter(completed_on__gt=today).values_list("pk", flat=True),
    )
    check(
        "self-assessment submitted after its review was completed, or in the future",
        (
            s.pk
            for s in SelfAssessment.objects.select_related("review")
            if s.submitted_at
            and (
                s.submitted_at > now
                or (
                    s.review.completed_on
                    and _day(s.submitted_at) > s.review.completed_on
                )
            )
        ),
    )
    return found


# On one day, what must come first (lower) before what follows (higher). The
# timeline lists the newest first, so on a day the ranks must not rise.
SAME_DAY_ORDER = [
    (r"^Due diligence assessed", 0),
    (r"^Proposal: ", 1),
    (r" drafted$", 2),
    (r" signed$", 3),
    (r": asked by ", 4),
    (r": (approved|rejected)$", 5),
    (r" ended: ", 6),
    (r"^Became ", 7),
]


def timeline_out_of_order(client, organisation: Organisation) -> list[tuple]:
    response = client.get(
        reverse("partners:organisation_detail", args=[organisation.pk])
    )
    wrong = []
    events = response.context["timeline"]
    for newer, older in itertools.pairwise(events):
        if newer["date"] != older["date"]:
            continue
        ranks = [
            next(
                (r for pattern, r in SAME_DAY_ORDER if re.search(pattern, e["text"])),
                None,
            )
            for e in (newer, older)
        ]
        if None not in ranks and ranks[0] < ranks[1]:
            wrong.append((newer["date"], newer["text"], "above", older["text"]))
    return wrong


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_demo_data_tells_its_story_in_order(day, analyst):
    with time_machine.travel(dt.datetime.combine(day, dt.time(12), UTC), tick=False):
        call_command("seed_demo", "--skip-checks", orgs=60, seed=7, stdout=StringIO())
        assert story_breaks(timezone.localdate(), timezone.now()) == {}

        client = VerifiedClient()
        client.force_login(analyst)
        wrong = []
        for organisation in Organisation.objects.filter(
            tier_changes__isnull=False
        ).distinct()[:15]:
            wrong += timeline_out_of_order(client, organisation)
        assert wrong == []


def test_the_timeline_lists_one_days_events_in_the_order_they_happened(analyst):
    from tests import factories

    day = dt.date(2026, 6, 10)
    morning = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    organisation = factories.OrganisationFactory(name="Same Day Trust")
    mou = factories.MoUFactory(organisation=organisation, signed_on=day, start=day)
    change = TierChange.objects.create(
        organisation=organisation,
        to_tier=factories.tier("partner"),
        direction=TierChange.Direction.START,
        effective_date=day,
        reason="Ready.",
        requested_by=analyst,
        status=TierChange.Status.APPROVED,
        decided_by=analyst,
        decided_at=morning + dt.timedelta(hours=3),
    )
    factories.AssociationFactory(
        organisation=organisation, tier=factories.tier("partner"), start=day, mou=mou
    )
    issue = factories.RelationshipIssueFactory(
        organisation=organisation,
        raised_on=day,
        resolved_on=day,
        status="resolved",
        resolution="Agreed a new contact.",
    )
    RelationshipIssue.objects.filter(pk=issue.pk).update(escalated_at=morning)
    MoU.objects.filter(pk=mou.pk).update(created_at=morning)
    TierChange.objects.filter(pk=change.pk).update(created_at=morning)

    client = VerifiedClient()
    client.force_login(analyst)
    timeline = client.get(
        reverse("partners:organisation_detail", args=[organisation.pk])
    ).context["timeline"]
    texts = [e["text"] for e in timeline if e["date"] == day]
    # Newest first: what happened last that day at the top.
    happened = (
        "Issue resolved",
        "escalated to level",
        "Issue raised",
        "Became Partner",
        ": approved",
        ": asked by",
        " signed",
        " drafted",
    )
    assert len(texts) == len(happened), texts
    order = [next(i for i, t in enumerate(texts) if key in t) for key in happened]
    assert order == sorted(order), texts
