"""Writes and rules of organisations and their contacts."""

from typing import Any

from django.db import transaction

from ceop_crm.access import may_change_ownership
from ceop_crm.exceptions import ApplicationError
from partners.models import (
    Contact,
    Organisation,
    OwnershipLevel,
    PortalMembership,
)
from partners.services.common import Actor, _apply, _pk, _save

# A new organisation is a prospect or under assessment; after that its status
# follows its association (active when one starts, ended when it ends).
ORGANISATION_NEW_STATUSES = (
    Organisation.Status.PROSPECT,
    Organisation.Status.ASSESSMENT,
)


def organisation_check_new_status(status: str) -> None:
    """A new organisation is a prospect or under assessment (also checked by the
    bulk creation of imports, partners.services.bulk)."""
    if status not in ORGANISATION_NEW_STATUSES:
        raise ApplicationError(
            {"status": ["A new organisation is a prospect or under assessment."]}
        )


@transaction.atomic
def organisation_create(*, actor: Actor, **fields: Any) -> Organisation:
    organisation_check_new_status(fields.get("status", Organisation.Status.PROSPECT))
    return _save(Organisation(**fields), actor)


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor: Actor, **fields: Any
) -> Organisation:
    status = fields.get("status", organisation.status)
    if status != organisation.status and not (
        status in ORGANISATION_NEW_STATUSES
        and organisation.status in ORGANISATION_NEW_STATUSES
    ):
        raise ApplicationError(
            {
                "status": [
                    "The status follows the association: start, move or end it "
                    "with a tier move."
                ]
            }
        )
    changed = [
        name
        for name in ("owner", "deputy")
        if name in fields and _pk(fields[name]) != getattr(organisation, f"{name}_id")
    ]
    if changed and not (
        actor is not None and may_change_ownership(actor, organisation)
    ):
        raise ApplicationError(
            {
                name: [
                    "Only the relationship owner or a senior manager can change "
                    "who owns and deputises for this organisation."
                ]
                for name in changed
            }
        )
    _apply(organisation, fields)
    return _save(organisation, actor)


@transaction.atomic
def contact_save(*, contact: Contact, actor: Actor) -> Contact:
    """Create or update a contact; making it primary demotes the previous primary."""
    if contact.is_primary:
        previous = Contact.objects.filter(
            organisation_id=contact.organisation_id, is_primary=True
        ).exclude(pk=contact.pk)
        for other in previous:
            other.is_primary = False
            _save(other, actor)
    return _save(contact, actor)


@transaction.atomic
def contact_delete(*, contact: Contact, actor: Actor) -> None:
    """Remove a contact; a partner user cannot remove the one their account is
    linked to (portal and API alike)."""
    if (
        actor is not None
        and actor.pk is not None
        and PortalMembership.objects.filter(user_id=actor.pk, contact=contact).exists()
    ):
        raise ApplicationError(
            "This contact is linked to your own portal account; ask CEOP to remove it."
        )
    contact._history_user = actor
    contact.delete()


@transaction.atomic
def ownership_level_save(*, level: OwnershipLevel, actor: Actor) -> OwnershipLevel:
    return _save(level, actor)
