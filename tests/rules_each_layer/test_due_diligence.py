"""Due diligence: only approved counts; approved needs an expiry."""

import pytest

from ceop_crm.exceptions import ApplicationError
from partners import models as pm
from partners.selectors import due_diligence_current
from partners.services import due_diligence_decide, due_diligence_record
from priorities.models import Principle
from tests import factories
from tests.rules_each_layer.helpers import TODAY, refused_by_the_database
from tiers.services import association_validate

pytestmark = pytest.mark.django_db


def test_a_rejected_assessment_with_an_expiry_is_not_current():
    rejected = factories.DueDiligenceFactory(outcome=pm.DueDiligence.Outcome.REJECTED)

    assert rejected.expires_on > TODAY
    assert due_diligence_current(organisation=rejected.organisation, on=TODAY) is None


def test_an_association_cannot_rest_on_rejected_due_diligence():
    rejected = factories.DueDiligenceFactory(outcome=pm.DueDiligence.Outcome.REJECTED)

    with pytest.raises(ApplicationError, match="approved due diligence"):
        association_validate(
            organisation=rejected.organisation,
            tier=factories.tier("official-supporter"),
            start=TODAY,
        )


def test_approving_due_diligence_without_an_expiry_is_refused(manager):
    organisation = factories.OrganisationFactory()
    findings = {p.pk: (True, "Met.") for p in Principle.objects.all()}
    due_diligence = due_diligence_record(
        organisation=organisation,
        assessed_on=TODAY,
        child_protection=pm.DueDiligence.ChildProtection.IN_PLACE,
        brand_risk=pm.DueDiligence.BrandRisk.LOW,
        findings=findings,
        actor=manager,
    )

    with pytest.raises(ApplicationError) as refused:
        due_diligence_decide(
            due_diligence=due_diligence,
            outcome=pm.DueDiligence.Outcome.APPROVED,
            actor=manager,
        )
    assert "expires_on" in refused.value.message_dict


def test_the_database_refuses_approved_due_diligence_without_an_expiry():
    pending = factories.DueDiligenceFactory(
        outcome=pm.DueDiligence.Outcome.PENDING, expires_on=None
    )

    refused_by_the_database(
        lambda: pm.DueDiligence.objects.filter(pk=pending.pk).update(
            outcome=pm.DueDiligence.Outcome.APPROVED
        )
    )
