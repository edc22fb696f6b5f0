"""The organisation list's number of rows under its filters is shared between
requests until a change to what the filters read commits
(partners.selectors.organisation_list_count, partners.reports.figures)."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.lists import ORGANISATIONS
from tests import factories
from tests.clients import VerifiedClient

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]


@pytest.fixture
def client(manager_client):
    return manager_client


def _count(client, **params) -> tuple[int, int]:
    """The list's number of rows and the rows on its first page."""
    page = client.get(reverse("partners:organisation_list"), params)
    assert page.status_code == 200
    return page.context["page"].paginator.count, len(page.context["page"])


def _partners(n: int) -> None:
    for _ in range(n):
        factories.AssociationFactory(tier=factories.tier("partner"))


def test_the_count_is_shared_until_a_change_is_committed(
    client, django_capture_on_commit_callbacks
):
    _partners(2)
    factories.AssociationFactory()  # an Official Supporter
    assert _count(client, tier="partner") == (2, 2)

    # Written but never committed: the count shared stays.
    with django_capture_on_commit_callbacks(execute=False):
        _partners(1)
    assert _count(client, tier="partner")[0] == 2

    # Committed: counted afresh, and the page holds every row.
    with django_capture_on_commit_callbacks(execute=True):
        _partners(1)
    assert _count(client, tier="partner") == (4, 4)


def test_each_set_of_filters_has_its_own_count(client):
    _partners(2)
    factories.AssociationFactory()
    factories.OrganisationFactory()  # no level
    assert _count(client, tier="partner")[0] == 2
    assert _count(client, tier="official-supporter")[0] == 1
    assert _count(client, tier="none")[0] == 1
    assert _count(client)[0] == 4
    # The sort is not a filter: the same number, whatever the order.
    assert _count(client, tier="partner", sort="-name")[0] == 2


def test_due_diligence_committed_moves_the_at_risk_count(
    client, manager, django_capture_on_commit_callbacks
):
    """The at-risk filter reads due diligence: an assessment committed
    counts the list afresh."""
    association = factories.AssociationFactory()
    at_risk = _count(client, at_risk="true")[0]
    with django_capture_on_commit_callbacks(execute=True):
        factories.DueDiligenceFactory(organisation=association.organisation)
    assert _count(client, at_risk="true")[0] == at_risk - 1


def _choices(client, name: str) -> list[str]:
    page = client.get(reverse("partners:organisation_list"))
    assert page.status_code == 200
    return [label for _value, label in page.context["form"].fields[name].choices]


def test_the_select_boxes_are_shared_until_a_change_is_committed(
    client, manager, django_capture_on_commit_callbacks
):
    """The owners, levels and priority areas offered are read once until a
    change to them commits: a new manager, a manager's new name."""
    from ceop_crm import roles
    from tests.conftest import _staff

    assert "Imogen Vale" not in _choices(client, "owner")
    with django_capture_on_commit_callbacks(execute=False):
        _staff(roles.RELATIONSHIP_MANAGER, "ivale").__class__.objects.filter(
            username="ivale"
        ).update(first_name="Imogen", last_name="Vale")
    assert "Imogen Vale" not in _choices(client, "owner")

    with django_capture_on_commit_callbacks(execute=True):
        newcomer = _staff(roles.RELATIONSHIP_MANAGER, "dfrost")
        newcomer.first_name, newcomer.last_name = "Dara", "Frost"
        newcomer.save()
    assert "Dara Frost" in _choices(client, "owner")

    with django_capture_on_commit_callbacks(execute=True):
        manager.first_name, manager.last_name = "Maria", "Okafor"
        manager.save()
    assert "Maria Okafor" in _choices(client, "owner")


def test_a_sign_in_does_not_read_the_select_boxes_afresh(
    client, manager, django_capture_on_commit_callbacks
):

    from partners.reports import FIGURES_VERSION_KEY

    _choices(client, "owner")
    version = caches["shared"].get(FIGURES_VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        VerifiedClient().force_login(manager)  # saves last_login only
    assert caches["shared"].get(FIGURES_VERSION_KEY) == version


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the search reads its matches as it is applied on PostgreSQL",
)
def test_a_search_count_is_never_kept_under_a_version_it_predates(
    manager, django_capture_on_commit_callbacks
):
    """The search reads its matches when the list is built; a change committed
    before the list is counted must not leave that count under the newer
    version (the page would then be cut short at the stale count)."""
    from django.core.paginator import Paginator
    from django.http import QueryDict

    from partners.lists import organisation_listing

    for n in range(2):
        factories.OrganisationFactory(name=f"Acme {n}")
    params = QueryDict("q=acme")
    racing = organisation_listing(user=manager, params=params, today=factories.TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        factories.OrganisationFactory(name="Acme 9")
    assert racing.count() == 2  # what it read, under the version it read first

    fresh = organisation_listing(user=manager, params=params, today=factories.TODAY)
    paginator = Paginator(fresh.rows, 25)
    paginator.count = fresh.count()
    assert (paginator.count, len(paginator.page(1).object_list)) == (3, 3)


def test_renaming_a_role_group_reads_the_owner_choices_afresh(
    manager, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    from ceop_crm import roles
    from partners.filters import _choice_lists

    assert manager.pk in [pk for pk, _ in _choice_lists()["owner"]]
    with django_capture_on_commit_callbacks(execute=True):
        group = Group.objects.get(name=roles.RELATIONSHIP_MANAGER)
        group.name = "Relationship manager (old)"
        group.save()
    assert manager.pk not in [pk for pk, _ in _choice_lists()["owner"]]


def _names(client, **params) -> list[str]:
    page = client.get(reverse("partners:organisation_list"), params)
    assert page.status_code == 200
    return [org.name for org in page.context["page"]]


@pytest.mark.parametrize("sort", ["", "next_review", "-name"])
def test_a_pages_rows_are_shared_until_a_change_is_committed(
    client, sort, django_capture_on_commit_callbacks
):
    """A page's ids are kept as its count is (OrganisationRowsPaged.share):
    an organisation written shows once it commits, in its place."""
    for name in ("Bravo Ltd", "Delta Ltd"):
        factories.AssociationFactory(
            tier=factories.tier("partner"),
            organisation=factories.OrganisationFactory(name=name),
        )
    before = _names(client, tier="partner", sort=sort)
    assert sorted(before) == ["Bravo Ltd", "Delta Ltd"]

    with django_capture_on_commit_callbacks(execute=False):
        factories.AssociationFactory(
            tier=factories.tier("partner"),
            organisation=factories.OrganisationFactory(name="Charlie Ltd"),
        )
    assert _names(client, tier="partner", sort=sort) == before

    with django_capture_on_commit_callbacks(execute=True):
        factories.AssociationFactory(
            tier=factories.tier("partner"),
            organisation=factories.OrganisationFactory(name="Alpha Ltd"),
        )
    after = _names(client, tier="partner", sort=sort)
    assert sorted(after) == ["Alpha Ltd", "Bravo Ltd", "Charlie Ltd", "Delta Ltd"]
    if sort == "-name":
        assert after == sorted(after, reverse=True)
    else:
        assert after == sorted(after)


def test_a_shared_page_is_read_by_its_ids_alone(client):
    """Read again, a page is one statement of its rows by id: neither the
    filters nor the order are worked out again."""
    for _ in range(3):
        factories.AssociationFactory(tier=factories.tier("partner"))
    first = _names(client, tier="partner")
    with CaptureQueriesContext(connection) as captured:
        again = _names(client, tier="partner")
    assert again == first
    listed = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "partners_organisation"' in q["sql"]
    ]
    assert len(listed) == 1, listed
    # After the list's own figures, only the ids: no filter, no paging.
    where = listed[0].rsplit('FROM "partners_organisation" LEFT OUTER JOIN', 1)[1]
    where = where.split(" WHERE ", 1)[1]
    for worked_out in ("LIMIT", "EXISTS", "SELECT"):
        assert worked_out not in where, where


def test_each_page_filter_and_sort_has_rows_of_its_own(client):
    """Each page of each sort of each set of filters is named apart: the
    first page by name and the first page in reverse hold different rows
    once there are more rows than a page."""
    names = [f"Partner {n:02d}" for n in range(ORGANISATIONS.page_size + 1)]
    for name in names:
        factories.AssociationFactory(
            tier=factories.tier("partner"),
            organisation=factories.OrganisationFactory(name=name),
        )
    factories.AssociationFactory(
        organisation=factories.OrganisationFactory(name="Zulu Ltd")
    )
    shown = ORGANISATIONS.page_size
    assert _names(client, tier="partner") == names[:shown]
    assert _names(client, tier="partner", sort="-name") == names[::-1][:shown]
    assert _names(client, tier="partner", page=2) == names[shown:]
    assert _names(client, tier="official-supporter") == ["Zulu Ltd"]
    assert _names(client)[:2] == names[:2]
