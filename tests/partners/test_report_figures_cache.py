"""The aggregate reports' figures are shared between requests under one version,
bumped on every committed change to what they count: a change committed through
a service, the admin or a bulk write shows on the next request, a rolled-back
one bumps nothing, and a failing cache serves live figures."""

import pytest
from django.core.cache import caches
from django.db import transaction
from django.db.models import Count
from django.urls import reverse

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
from partners.reports import FIGURES_VERSION_KEY, NO_LEVEL
from partners.services import organisation_create
from planning.models import Milestone, PlanningYear, Review
from priorities.models import PriorityArea
from tests import factories
from tests.admin_helpers import admin_form_data
from tests.clients import VerifiedClient
from tests.workspace_world import build_world
from tiers.models import Association, Benefit, TierChange, TierLevel

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]

SECTORS = [code for code, _label in Sector.choices]


@pytest.fixture
def client(analyst):
    c = VerifiedClient()
    c.force_login(analyst)
    return c


def _without_level(client, sector: str | None = None) -> int:
    """The partners-by-tier page's organisations with no level (in a sector)."""
    page = client.get(reverse("workspace:report", args=["partners-by-tier"]))
    assert page.status_code == 200
    row = next(r for r in page.context["report"].rows if r[0] == NO_LEVEL)
    return row[-1] if sector is None else row[1 + SECTORS.index(sector)]


def _version():
    return caches["shared"].get(FIGURES_VERSION_KEY)


def test_figures_are_shared_until_a_change_is_committed(
    client, manager, django_capture_on_commit_callbacks
):
    before = _without_level(client)
    # Written but never committed (its callbacks are not run): the figures
    # stay those shared, which shows the page reads them from the cache.
    with django_capture_on_commit_callbacks(execute=False):
        factories.OrganisationFactory()
    assert _without_level(client) == before


def test_a_change_committed_through_a_service_shows_on_the_next_request(
    client, manager, django_capture_on_commit_callbacks
):
    before = _without_level(client)
    with django_capture_on_commit_callbacks(execute=True):
        organisation_create(actor=manager, name="Newly met", sector=Sector.ACADEMIC)
    assert _without_level(client) == before + 1


def test_a_change_committed_through_the_admin_shows_on_the_next_request(
    client, admin_client, django_capture_on_commit_callbacks
):
    organisation = factories.OrganisationFactory(sector=Sector.INDUSTRY)
    industry = _without_level(client, Sector.INDUSTRY)
    academic = _without_level(client, Sector.ACADEMIC)
    url = reverse("admin:partners_organisation_change", args=[organisation.pk])
    data = admin_form_data(admin_client.get(url))
    data["sector"] = Sector.ACADEMIC
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302
    assert _without_level(client, Sector.INDUSTRY) == industry - 1
    assert _without_level(client, Sector.ACADEMIC) == academic + 1


def _create_and_roll_back(manager) -> None:
    with transaction.atomic():
        organisation_create(actor=manager, name="Never kept", sector="other")
        raise RuntimeError("rolled back")


def test_a_rolled_back_change_bumps_nothing(
    client, manager, django_capture_on_commit_callbacks
):
    before = _without_level(client)
    version = _version()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        _create_and_roll_back(manager)
    assert callbacks == []
    assert _version() == version
    assert _without_level(client) == before


def _fail(*args, **kwargs):
    raise ConnectionError("cache down")


@pytest.mark.parametrize("failing", ["shared", "default"])
def test_a_failing_cache_serves_live_figures(
    client, manager, monkeypatch, django_capture_on_commit_callbacks, failing
):
    before = _without_level(client)
    for method in ("get", "set", "incr"):
        monkeypatch.setattr(caches[failing], method, _fail)
    # Not committed, so no version is bumped: only a live read can see it.
    for added in (1, 2):
        with django_capture_on_commit_callbacks(execute=False):
            factories.OrganisationFactory()
        assert _without_level(client) == before + added
    for slug in ("reviews", "priority-coverage"):
        page = client.get(reverse("workspace:report", args=[slug]))
        assert page.status_code == 200


# What the cached figures read: levels by sector, reviews per quarter,
# priority-area coverage (and the dashboard's plots of the same), the Annual
# Review's organisations per level, the long reports' numbers of MoUs and
# contacts and MoUs by state.
READ_BY_THE_FIGURES = (
    Organisation,
    Contact,
    MoU,
    DueDiligence,
    RelationshipIssue,
    TierChange,
    Association,
    TierLevel,
    Review,
    Milestone,
    PlanningYear,
    Contribution,
    Proposal,
    PriorityArea,
    Benefit,
)


@pytest.mark.parametrize("model", READ_BY_THE_FIGURES, ids=lambda m: m.__name__)
def test_every_model_the_figures_count_bumps_them_on_commit(
    model, manager, django_capture_on_commit_callbacks
):
    build_world(owner=manager)
    instance = model._default_manager.first()
    version = _version()
    with django_capture_on_commit_callbacks(execute=True):
        instance.save()
    assert _version() != version


def test_links_between_support_and_priority_areas_bump_the_figures(
    manager, django_capture_on_commit_callbacks
):
    world = build_world(owner=manager)
    version = _version()
    with django_capture_on_commit_callbacks(execute=True):
        world.contribution.priority_areas.clear()
    assert _version() != version


def test_reviews_scheduled_in_bulk_bump_the_figures(
    manager, django_capture_on_commit_callbacks
):
    from planning.models import Review
    from planning.services import reviews_schedule

    association = factories.AssociationFactory(tier=factories.tier("partner"))
    # Once, so that the planning years it opens are there already.
    reviews_schedule(organisation_ids=[association.organisation_id])
    Review.objects.filter(organisation=association.organisation).delete()
    version = _version()
    with django_capture_on_commit_callbacks(execute=True):
        counts = reviews_schedule(organisation_ids=[association.organisation_id])
    assert counts["created"]
    assert _version() != version


def test_organisations_imported_in_bulk_bump_the_figures(
    manager, django_capture_on_commit_callbacks
):
    from partners.services.bulk import organisations_create_with_contacts

    version = _version()
    with django_capture_on_commit_callbacks(execute=True):
        organisations_create_with_contacts(
            organisations=[Organisation(name="Bulk one", sector="other")],
            contacts=[],
            actor=manager,
        )
    assert _version() != version


def test_the_demo_seed_bumps_the_figures(manager, django_capture_on_commit_callbacks):
    from partners.demo.builder import demo_seed

    demo_seed(orgs=5, seed=7)  # once: its planning years and staff are there
    version = _version()
    with django_capture_on_commit_callbacks(execute=True):
        demo_seed(orgs=5, seed=8)
    assert _version() != version


def _report(client, slug: str):
    page = client.get(reverse("workspace:report", args=[slug]))
    assert page.status_code == 200
    return page.context["report"]


def test_the_long_reports_counts_are_shared_until_a_change_is_committed(
    client, manager, django_capture_on_commit_callbacks
):
    """The number of contacts and of MoUs, and the MoUs by state, are read
    once until a change to them commits; then afresh."""
    organisation = factories.OrganisationFactory()
    factories.ContactFactory(organisation=organisation)
    factories.MoUFactory(organisation=organisation, status=MoU.Status.DRAFT)
    contacts = _report(client, "contacts").options["total_rows"]
    mous = _report(client, "mous")
    assert contacts == Contact.objects.count()
    assert mous.options["total_rows"] == MoU.objects.count()

    # Written but never committed: the counts stay those shared.
    with django_capture_on_commit_callbacks(execute=False):
        factories.ContactFactory(organisation=organisation)
        factories.MoUFactory(organisation=organisation, status=MoU.Status.SIGNED)
    assert _report(client, "contacts").options["total_rows"] == contacts
    assert _report(client, "mous").options == mous.options

    # Committed: read afresh.
    with django_capture_on_commit_callbacks(execute=True):
        factories.ContactFactory(organisation=organisation)
    assert _report(client, "contacts").options["total_rows"] == contacts + 2
    assert _report(client, "mous").options["total_rows"] == MoU.objects.count()
    summary = {
        label: n for label, n, _url in _report(client, "mous").options["summary"]
    }
    assert summary == {
        MoU.Status(status).label: n
        for status, n in MoU.objects.values_list("status").annotate(
            n=Count("organisation", distinct=True)
        )
    }
    assert summary["Signed"] == 1


def test_contacts_deleted_in_bulk_bump_the_figures(
    manager, django_capture_on_commit_callbacks
):
    """A queryset's delete (the erasure and retention services) sends each
    contact's post_delete while anything listens, so the count is bumped."""
    organisation = factories.OrganisationFactory()
    factories.ContactFactory.create_batch(2, organisation=organisation)
    version = _version()
    with django_capture_on_commit_callbacks(execute=True):
        Contact.objects.filter(organisation=organisation).delete()
    assert _version() != version
