"""Who works with the lead organisation on a contribution: adding and removing them."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ceop_crm.access import may_edit_organisation
from ceop_crm.exceptions import ApplicationError, full_clean
from partners.joint.models import ContributionParty
from partners.models import Contribution, Organisation

NOT_LEAD_EDITOR = (
    "Only the relationship owner, the deputy or a senior manager of the lead "
    "organisation can change who works on its contribution."
)
# The strategy encourages "our partners and supporters to work together". A
# supplier or contractor is neither: it is "paid in full for the delivery of
# [its] goods or services" and "cannot promote [itself] as associated with
# CEOP", while joint support is shown on each organisation's page and in each
# one's portal beside the partners it worked with, which is exactly such an
# association. An organisation with no current association (a prospect, or one
# whose association ended) is not a partner or supporter either. The rule holds
# for the lead as for the others.
SUPPLIER_REFUSED = (
    "{name} is a supplier or contractor: paid in full for its goods or services, "
    "it is not a partner or supporter and cannot be shown as associated with CEOP, "
    "so it cannot take part in joint support."
)
NOT_ASSOCIATED = (
    "{name} has no current association: joint support is between CEOP's partners "
    "and supporters (Strategic Partners, Partners and Official Supporters)."
)


def _association_refusal(organisation: Organisation) -> str | None:
    from tiers.selectors import association_current

    association = association_current(organisation=organisation)
    if association is None:
        return NOT_ASSOCIATED.format(name=organisation.name)
    if not association.tier.is_association:
        return SUPPLIER_REFUSED.format(name=organisation.name)
    return None


def _check_editor(contribution: Contribution, actor: AbstractBaseUser | None) -> None:
    if actor is None or not may_edit_organisation(actor, contribution.organisation):
        raise ApplicationError(NOT_LEAD_EDITOR)


def _touch(contribution: Contribution) -> None:
    # Who works on a contribution is part of what the API answers for it, so its
    # Last-Modified moves (without a history row of its own: the party has one).
    Contribution.objects.filter(pk=contribution.pk).update(updated_at=timezone.now())


@transaction.atomic
def contribution_party_add(
    *,
    contribution: Contribution,
    organisation: Organisation,
    actor: AbstractBaseUser | None,
) -> ContributionParty:
    """Record that ``organisation`` works with the lead on ``contribution``."""
    _check_editor(contribution, actor)
    if organisation.pk == contribution.organisation_id:
        raise ApplicationError(
            {"organisation": ["This is the lead organisation of the contribution."]}
        )
    if organisation.merged_into_id is not None:
        raise ApplicationError(
            {"organisation": [f"{organisation.name} was merged into another one."]}
        )
    for who, field in (
        (contribution.organisation, None),
        (organisation, "organisation"),
    ):
        refusal = _association_refusal(who)
        if refusal:
            raise ApplicationError({field: [refusal]} if field else refusal)
    party = ContributionParty(
        contribution=contribution,
        organisation=organisation,
        added_by=actor,
        added_at=timezone.now(),
    )
    party._history_user = actor
    full_clean(party)
    party.save()
    _touch(contribution)
    return party


@transaction.atomic
def contribution_party_remove(
    *, party: ContributionParty, actor: AbstractBaseUser | None
) -> None:
    """Take an organisation off a contribution (its history row stays)."""
    _check_editor(party.contribution, actor)
    party._history_user = actor
    party.delete()
    _touch(party.contribution)
