"""The dashboard's headline figures and its organisations at risk are shared
between requests until a change to what they count commits
(partners.selectors.counts_together_shared, organisation_rows_first_counted);
the unread count is read on every request, and no one is ever shown another
person's figures."""

import pytest
from django.utils import timezone

from planning.models import Reminder
from tests import factories
from tests.clients import VerifiedClient
from tiers.services import tier_change_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]


def _signed_in(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


def _figures(client, scope: str = "mine") -> dict:
    page = client.get("/", {"scope": scope})
    assert page.status_code == 200
    return page.context


def test_the_figures_are_shared_until_a_change_is_committed(
    manager, django_capture_on_commit_callbacks
):
    organisation = factories.OrganisationFactory(owner=manager)
    factories.AssociationFactory(organisation=organisation)  # no due diligence
    client = _signed_in(manager)
    before = _figures(client)
    assert (before["my_count"], before["issues_count"]) == (1, 0)
    assert before["at_risk_count"] == 1

    # Written but never committed: the shared figures stay.
    with django_capture_on_commit_callbacks(execute=False):
        factories.RelationshipIssueFactory(organisation=organisation)
        factories.OrganisationFactory(owner=manager)
        factories.DueDiligenceFactory(organisation=organisation)
    same = _figures(client)
    assert (same["my_count"], same["issues_count"], same["at_risk_count"]) == (1, 0, 1)

    # Committed: read afresh.
    with django_capture_on_commit_callbacks(execute=True):
        factories.RelationshipIssueFactory(organisation=organisation)
    after = _figures(client)
    assert (after["my_count"], after["issues_count"]) == (2, 2)
    assert (after["at_risk_count"], after["at_risk"]) == (0, [])


def test_a_tier_move_committed_shows_in_the_pending_figure(
    manager, senior_manager, django_capture_on_commit_callbacks
):
    client = _signed_in(senior_manager)
    assert _figures(client, "all")["pending_count"] == 0
    organisation = factories.OrganisationFactory(owner=manager)
    strategic = factories.tier("strategic-partner")
    with django_capture_on_commit_callbacks(execute=True):
        tier_change_request(
            organisation=organisation,
            to_tier=strategic,
            effective_date=factories.TODAY,
            reason="Delivers across several Centre Plan objectives.",
            evidence={c.pk: "On file." for c in strategic.characteristics.all()},
            actor=manager,
        )
    assert _figures(client, "all")["pending_count"] == 1


def test_the_unread_count_is_read_on_every_request(manager):
    client = _signed_in(manager)
    organisation = factories.OrganisationFactory(owner=manager)
    Reminder.objects.create(
        recipient=manager,
        step=Reminder.Step.REVIEW_UPCOMING,
        subject_type="organisation",
        subject_id=organisation.pk,
        title="Review coming up",
    )
    assert _figures(client)["unread_notifications"] == 1
    # Read, and nothing committed: the figure moves all the same.
    Reminder.objects.filter(recipient=manager).update(read_at=timezone.now())
    assert _figures(client)["unread_notifications"] == 0


def test_each_person_and_scope_has_figures_of_their_own(manager, senior_manager):
    from ceop_crm import roles
    from tests.conftest import _staff

    colleague = _staff(roles.RELATIONSHIP_MANAGER, "colleague")
    mine = factories.OrganisationFactory(owner=manager)
    factories.RelationshipIssueFactory(organisation=mine)
    theirs = factories.OrganisationFactory(owner=colleague)
    factories.RelationshipIssueFactory(organisation=theirs)
    factories.RelationshipIssueFactory(organisation=theirs)

    manager_client = _signed_in(manager)
    colleague_client = _signed_in(colleague)
    assert _figures(manager_client)["issues_count"] == 1
    assert _figures(colleague_client)["issues_count"] == 2
    assert _figures(manager_client, "all")["issues_count"] == 3
    # Read again, from what is shared: still each one's own.
    assert _figures(manager_client)["issues_count"] == 1
    assert _figures(colleague_client)["issues_count"] == 2
    # Only a senior manager's figures count the pending moves.
    senior_client = _signed_in(senior_manager)
    assert _figures(manager_client, "all")["show_pending"] is False
    assert _figures(senior_client, "all")["show_pending"] is True


def test_the_cards_rows_are_shared_until_a_change_is_committed(
    manager, django_capture_on_commit_callbacks
):
    """The cards' rows (first_rows_shared) move with their figures: an issue
    or a new name shows once it commits, and not before."""
    organisation = factories.OrganisationFactory(owner=manager, name="Before Ltd")
    client = _signed_in(manager)
    before = _figures(client)
    assert [o.name for o in before["my_orgs"]] == ["Before Ltd"]
    assert before["issues"] == []

    with django_capture_on_commit_callbacks(execute=False):
        factories.RelationshipIssueFactory(organisation=organisation, title="Unsaid")
    assert _figures(client)["issues"] == []

    with django_capture_on_commit_callbacks(execute=True):
        factories.RelationshipIssueFactory(organisation=organisation, title="Said")
        organisation.name = "After Ltd"
        organisation.save()
    after = _figures(client)
    assert [o.name for o in after["my_orgs"]] == ["After Ltd"]
    assert sorted(i.title for i in after["issues"]) == ["Said", "Unsaid"]
    assert {i.organisation.name for i in after["issues"]} == {"After Ltd"}


def test_the_cards_rows_are_read_once_then_shared(manager):
    """Read again, the cards' rows come from what is shared: no statement
    reads issues, organisations or reviews; one's tasks are read each time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    organisation = factories.OrganisationFactory(owner=manager)
    factories.RelationshipIssueFactory(organisation=organisation)
    client = _signed_in(manager)
    first = _figures(client)
    with CaptureQueriesContext(connection) as captured:
        again = _figures(client)
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    for table in ("partners_relationshipissue", "planning_review", "partners_mou"):
        assert f'FROM "{table}"' not in tables, table
    assert 'FROM "activities_task"' in tables
    assert [i.pk for i in again["issues"]] == [i.pk for i in first["issues"]]


def test_each_person_has_rows_of_their_own(manager):
    from ceop_crm import roles
    from tests.conftest import _staff

    colleague = _staff(roles.RELATIONSHIP_MANAGER, "colleague")
    factories.OrganisationFactory(owner=manager, name="Mine Ltd")
    factories.OrganisationFactory(owner=colleague, name="Theirs Ltd")
    manager_client = _signed_in(manager)
    colleague_client = _signed_in(colleague)
    for _ in range(2):  # afresh, then from what is shared
        assert [o.name for o in _figures(manager_client)["my_orgs"]] == ["Mine Ltd"]
        assert [o.name for o in _figures(colleague_client)["my_orgs"]] == ["Theirs Ltd"]
