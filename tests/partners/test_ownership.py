"""Who owns a relationship changes only by its owner or a senior manager; an
organisation nobody owns (every public approach) is run by senior managers until
one of them assigns its owner at triage."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ceop_crm import roles
from ceop_crm.access import may_edit_organisation
from ceop_crm.exceptions import ApplicationError
from partners import services
from tests import factories
from tests.api.conftest import token_client
from tests.clients import VerifiedClient as Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy(db):
    user = factories.UserFactory(username="deputy")
    user.groups.add(Group.objects.get(name=roles.RELATIONSHIP_MANAGER))
    return user


@pytest.fixture
def organisation(manager, deputy):
    return factories.OrganisationFactory(owner=manager, deputy=deputy)


def test_a_deputy_cannot_hand_the_organisation_away(organisation, deputy):
    with pytest.raises(ApplicationError) as refused:
        services.organisation_update(
            organisation=organisation, actor=deputy, owner=deputy, deputy=None
        )
    assert "owner" in refused.value.message_dict
    organisation.refresh_from_db()
    assert organisation.deputy == deputy


def test_a_deputy_still_edits_everything_else(organisation, deputy):
    services.organisation_update(
        organisation=organisation,
        actor=deputy,
        owner=organisation.owner,
        deputy=deputy,
        description="Updated by the deputy.",
    )
    organisation.refresh_from_db()
    assert organisation.description == "Updated by the deputy."


def test_the_owner_and_a_senior_manager_change_ownership(
    organisation, manager, deputy, senior_manager
):
    services.organisation_update(organisation=organisation, actor=manager, deputy=None)
    services.organisation_update(
        organisation=organisation, actor=senior_manager, owner=deputy
    )
    organisation.refresh_from_db()
    assert (organisation.owner, organisation.deputy) == (deputy, None)


def test_workspace_form_refuses_a_deputys_ownership_change(
    organisation, deputy, manager
):
    client = Client()
    client.force_login(deputy)
    url = reverse("partners:organisation_update", args=[organisation.pk])
    form = client.get(url).context["form"]
    assert form.fields["owner"].disabled
    assert form.fields["deputy"].disabled
    response = client.post(
        url,
        {
            "name": organisation.name,
            "sector": organisation.sector,
            "owner": deputy.pk,
            "deputy": "",
            "country": "United Kingdom",
        },
    )
    assert response.status_code == 302  # saved, with the ownership unchanged
    organisation.refresh_from_db()
    assert (organisation.owner, organisation.deputy) == (manager, deputy)


def test_api_refuses_a_deputys_ownership_change(organisation, deputy, manager):
    response = token_client(deputy).patch(
        reverse("api:v1:organisation-detail", args=[organisation.pk]),
        {"owner": deputy.pk, "deputy": None},
        format="json",
    )
    assert response.status_code == 400
    assert "owner" in response.json()
    organisation.refresh_from_db()
    assert organisation.owner == manager


def test_nobody_owns_a_public_approach_until_a_senior_manager_assigns_one(
    client, manager, senior_manager
):
    organisation = factories.OrganisationFactory(owner=None)
    proposal = factories.ProposalFactory(organisation=organisation, source="public")
    assert not may_edit_organisation(manager, organisation)
    assert may_edit_organisation(senior_manager, organisation)
    client.force_login(manager)
    edit = reverse("partners:organisation_update", args=[organisation.pk])
    assert client.get(edit).status_code == 403
    accept = reverse("partners:proposal_accept", args=[proposal.pk])
    assert client.get(accept).status_code == 403
    client.force_login(senior_manager)
    triage = client.get(reverse("partners:proposal_detail", args=[proposal.pk]))
    assert "Nobody owns" in triage.content.decode()
    assert edit in triage.content.decode()
    services.organisation_update(
        organisation=organisation, actor=senior_manager, owner=manager
    )
    organisation.refresh_from_db()
    assert may_edit_organisation(manager, organisation)
