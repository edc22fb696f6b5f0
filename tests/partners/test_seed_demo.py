"""seed_demo: a believable data set in which every rule of the strategy holds."""

import contextlib
import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners.models import (
    Contact,
    Contribution,
    DueDiligence,
    MoU,
    Organisation,
    Proposal,
    RelationshipIssue,
    Sector,
)
from planning.models import Review
from priorities.models import CentrePlanObjective, Threat
from tests import factories
from tests.partners.seed_rules import rule_violations
from tiers.models import Association, TierChange, TierLevel

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# Late in a planning year (past-due quarterly windows) and just after its end.
DAYS = (dt.date(2026, 11, 28), dt.date(2027, 4, 3))
# Both sizes fit this ceiling (108 and 110 queries when written): the queries
# grow by a few batches, never by a query per organisation.
# Two more since the MoUs and tier moves are dated when they were drafted and asked
# (one bulk update each). On PostgreSQL those dates now go into the COPY, and the
# ids come from one query reserving a block per table (a query more per table
# only past 10,000 rows of it).
QUERY_CEILING = 117


def seed(orgs: int = 60, seed_value: int = 7, *args: str) -> str:
    out = StringIO()
    call_command(
        "seed_demo", "--skip-checks", *args, orgs=orgs, seed=seed_value, stdout=out
    )
    return out.getvalue()


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_seed_demo_keeps_every_rule_of_the_strategy(day):
    with time_machine.travel(dt.datetime.combine(day, dt.time(12), UTC), tick=False):
        seed(orgs=60)
        assert timezone.localdate() == day
        assert rule_violations(day) == {}


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_seed_demo_schedules_the_reviews_reviews_schedule_would(day):
    """The demo writes the current associations' reviews itself (in bulk, with
    the others): the scheduling service, run afterwards, finds nothing to
    create, move or cancel, and a review for every window it keeps."""
    from planning.services import reviews_schedule

    with time_machine.travel(dt.datetime.combine(day, dt.time(12), UTC), tick=False):
        seed(orgs=80)
        before = Review.objects.count()
        assert reviews_schedule() == {"created": 0, "moved": 0, "cancelled": 0}
        assert Review.objects.count() == before
        current = Association.objects.filter(
            end__isnull=True, tier__monitoring_frequency__in=["quarterly", "annual"]
        )
        assert current.exists()
        assert not current.exclude(
            Exists(Review.objects.filter(association=OuterRef("pk")))
        ).exists()


def test_seed_demo_covers_every_tier_sector_and_situation():
    seed(orgs=40)

    tiers = set(
        Association.objects.filter(end__isnull=True).values_list(
            "tier__code", flat=True
        )
    )
    assert tiers == set(TierLevel.objects.values_list("code", flat=True))
    assert set(Organisation.objects.values_list("sector", flat=True)) == set(
        Sector.values
    )
    assert set(Organisation.objects.values_list("status", flat=True)) == set(
        Organisation.Status.values
    )
    assert DueDiligence.objects.filter(outcome=DueDiligence.Outcome.PENDING).exists()
    assert Association.objects.filter(end__isnull=False).exists()
    assert TierChange.objects.filter(
        status=TierChange.Status.APPROVED, direction=TierChange.Direction.END
    ).exists()
    assert CentrePlanObjective.objects.exists()
    assert Threat.objects.exists()
    assert Contribution.objects.filter(centre_plan_objectives__isnull=False).exists()
    assert Contribution.objects.filter(priority_areas__isnull=False).exists()


def test_seed_demo_records_the_history_of_what_it_creates():
    seed(orgs=40)

    assert (
        Organisation.history.filter(
            history_type="+", history_change_reason="Demo data"
        ).count()
        == Organisation.objects.count()
    )
    assert (
        Association.history.filter(history_change_reason="Demo data").count()
        == Association.objects.count()
    )
    completed = Review.objects.filter(status=Review.Status.COMPLETED)
    assert set(
        Review.history.filter(history_change_reason="Demo data").values_list(
            "id", flat=True
        )
    ) >= set(completed.values_list("pk", flat=True))


def test_seed_demo_makes_the_lifecycle_visible_at_default_size():
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=UTC), tick=False):
        seed(orgs=120)
        today = timezone.localdate()

        mous = MoU.objects.values_list("status", flat=True)
        assert {MoU.Status.SIGNED, MoU.Status.EXPIRED, MoU.Status.NEGOTIATION} <= set(
            mous
        )
        assert MoU.objects.filter(
            status=MoU.Status.SIGNED, end__lte=today + dt.timedelta(days=90)
        ).exists()
        assert TierChange.objects.filter(
            status=TierChange.Status.APPROVED, direction=TierChange.Direction.UP
        ).exists()
        assert TierChange.objects.filter(
            status=TierChange.Status.APPROVED, evidence__isnull=False
        ).exists()
        assert Review.objects.filter(status=Review.Status.COMPLETED).exists()
        assert Review.objects.filter(
            status=Review.Status.SCHEDULED, due_on__lt=today
        ).exists(), "some reviews are left overdue"
        assert set(Proposal.objects.values_list("status", flat=True)) == set(
            Proposal.Status.values
        )
        assert not Proposal.objects.filter(
            status=Proposal.Status.ACCEPTED, contribution__isnull=True
        ).exists()
        levels = set(
            RelationshipIssue.objects.filter(
                status=RelationshipIssue.Status.OPEN
            ).values_list("escalation_level", flat=True)
        )
        assert len(levels) >= 2, "issues at several escalation levels"
        assert RelationshipIssue.objects.filter(
            status=RelationshipIssue.Status.RESOLVED
        ).exists()


def test_seed_demo_names_are_fictitious_with_reserved_domains():
    seed(orgs=80)

    websites = Organisation.objects.values_list("website", flat=True)
    assert all(w.endswith(".example") for w in websites)
    emails = Contact.objects.values_list("email", flat=True)
    assert all(e.endswith(".example") for e in emails)
    assert all(
        p.startswith(("01632 960", "07700 900"))
        for p in Contact.objects.values_list("phone", flat=True)
    )


def test_seed_demo_owners_are_the_existing_relationship_managers(
    manager, senior_manager
):
    seed(orgs=30)

    owners = set(
        Organisation.objects.exclude(owner=None).values_list("owner", flat=True)
    )
    assert owners == {manager.pk}
    assert not get_user_model().objects.filter(username="a.brennan").exists()
    assert set(
        TierChange.objects.exclude(decided_by=None).values_list("decided_by", flat=True)
    ) == {senior_manager.pk}


def test_seed_demo_creates_relationship_managers_when_there_are_none():
    seed(orgs=30)

    owners = (
        get_user_model().objects.filter(owned_organisations__isnull=False).distinct()
    )
    assert owners.count() > 1
    assert all(o.groups.filter(name="Relationship manager").exists() for o in owners)
    assert not any(o.has_usable_password() for o in owners)


def test_seed_demo_if_empty_does_nothing_when_organisations_exist():
    factories.OrganisationFactory()

    output = seed(30, 7, "--if-empty")

    assert Organisation.objects.count() == 1
    assert "exist" in output


def test_seed_demo_if_empty_loads_an_empty_database_once():
    seed(30, 7, "--if-empty")
    seed(30, 7, "--if-empty")

    assert Organisation.objects.count() == 30


def test_seed_demo_adds_to_existing_data_without_breaking_rules():
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=UTC), tick=False):
        seed(orgs=30, seed_value=3)
        seed(orgs=30, seed_value=3)

        assert Organisation.objects.count() == 60
        assert rule_violations(timezone.localdate()) == {}


class Rollback(Exception):
    pass


def snapshot(orgs: int, seed_value: int) -> list:
    with contextlib.suppress(Rollback), transaction.atomic():
        seed(orgs, seed_value)
        rows = list(
            Association.objects.order_by("organisation__name", "start").values_list(
                "organisation__name",
                "organisation__sector",
                "tier__code",
                "start",
                "end",
                "mou__end",
            )
        )
        rows += list(
            Organisation.objects.order_by("name").values_list("name", "status")
        )
        raise Rollback
    return rows


def test_seed_demo_is_deterministic_for_a_seed():
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=UTC), tick=False):
        first = snapshot(40, 11)
        again = snapshot(40, 11)
        other = snapshot(40, 12)

    assert first == again
    assert first != other


def _seed_queries(orgs: int) -> int:
    """Queries of one seed of ``orgs`` organisations, rolled back afterwards."""

    class Undo(Exception):
        pass

    with CaptureQueriesContext(connection) as queries:
        try:
            with transaction.atomic():
                seed(orgs=orgs)
                assert Organisation.objects.count() == orgs
                raise Undo
        except Undo:
            pass
    return len(queries)


def test_seed_demo_queries_do_not_grow_with_the_number_of_organisations():
    small, large = _seed_queries(50), _seed_queries(200)
    # 150 more organisations cost a few more bulk batches (more on SQLite, whose
    # statements hold fewer parameters), never a query per organisation.
    assert large - small < 150 / 3, (small, large)
    if connection.vendor == "postgresql":
        assert large <= QUERY_CEILING, large


@pytest.mark.parametrize("orgs", [0, -3])
def test_seed_demo_refuses_a_number_of_organisations_out_of_range(orgs):
    with pytest.raises(CommandError, match="--orgs"):
        seed(orgs=orgs)


def test_demo_names_differ_by_more_than_a_legal_form():
    """Names unique as written can share the key the database keeps unique
    ("Wren Data Ltd", "Wren Data plc"): 3,000 names of one sector did."""
    import random

    from partners.dedupe.normalise import name_key
    from partners.demo.names import NameMaker
    from partners.models import Sector

    maker = NameMaker(random.Random(2013), set())
    made = [maker.name(Sector.INDUSTRY) for _ in range(3000)]
    assert len({name_key(name) for name in made}) == len(made)


def test_demo_names_stay_unique_past_the_word_lists_without_retries():
    """More names of one sector than its word lists make (32,400 industry
    keys, 12,960 suppliers'): every key is new, the lists are gone through
    before any name is numbered, and no candidate is drawn twice."""
    import random

    from partners.dedupe.normalise import name_key
    from partners.demo import names
    from partners.models import Sector

    # Already in the database, whichever legal form the name is given.
    taken = {"wrenbridgeconsulting", "wrenbridgeconsultinggroup"}
    maker = names.NameMaker(random.Random(5), taken)
    made = [maker.name(Sector.OTHER, supplier=True) for _ in range(20_000)]

    keys = {name_key(name) for name in made}
    assert len(keys) == len(made)
    # Numbered before the legal form, so that the form still makes no new name.
    numbered = [n for n in made if " 2" in n and not n.endswith(" Group")]
    assert numbered
    assert {name_key(n) for n in numbered} == {
        name_key(names.LEGAL_SUFFIX.sub("", n)) for n in numbered
    }
    assert not keys & {"wrenbridgeconsulting", "wrenbridgeconsultinggroup"}
    plain = [n for n in made if " 2" not in n]
    assert len(plain) == 12_960 - 1
    # The second round (numbered) has drawn exactly the names it made.
    assert maker.spaces[(Sector.OTHER, True)][0][1].used == 20_000 - len(plain)
