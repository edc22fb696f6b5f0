"""Creating many new organisations, each with its primary contact, at once: the
fast path of imports (partners.imports.bulk).

``organisation_create`` and ``contact_save`` validate with ``full_clean``, which
asks the database once for each constraint and foreign key of each object. Here
the same rules are applied in Python, with no query: the new-status rule is the
service's own function, the fields are validated by Django as ``full_clean``
does, the deputy check takes its message from the model's constraint. What
needs the database (a name or reference already recorded) is the caller's to
check against what it read once for many rows, and the database's constraints
refuse whatever slips past: ``organisations_create_with_contacts`` then raises
IntegrityError having written nothing, and the caller goes back to the
services one row at a time.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from ceop_crm.exceptions import ApplicationError
from partners.models import Contact, Organisation
from partners.services.common import Actor
from partners.services.organisations import organisation_check_new_status

DEPUTY_CONSTRAINT = "organisation_deputy_is_not_owner"


def _constraint_message(model, name: str) -> str:
    constraint = next(c for c in model._meta.constraints if c.name == name)
    return str(constraint.get_violation_error_message())


def _clean_fields(obj, *, foreign_keys: list[str]) -> None:
    """The fields' validation as ``full_clean`` runs it, less the queries that
    check each foreign key exists (the caller's objects are ones it has read)."""
    try:
        obj.clean_fields(exclude=foreign_keys)
    except ValidationError as error:
        raise ApplicationError(error.error_dict) from error


def organisation_check_unsaved(organisation: Organisation) -> None:
    """What ``organisation_create`` checks of a new organisation, but the
    uniqueness of its name and reference (see the module), with no query."""
    organisation_check_new_status(organisation.status)
    _clean_fields(organisation, foreign_keys=["owner", "deputy", "merged_into"])
    organisation.normalise_name()
    if (
        organisation.deputy_id is not None
        and organisation.deputy_id == organisation.owner_id
    ):
        raise ApplicationError(
            {NON_FIELD_ERRORS: [_constraint_message(Organisation, DEPUTY_CONSTRAINT)]}
        )


def contact_check_unsaved(contact: Contact) -> None:
    """What ``contact_save`` checks of the first contact of a new organisation."""
    _clean_fields(contact, foreign_keys=["organisation"])
    contact.clean()


@transaction.atomic
def organisations_create_with_contacts(
    *, organisations: list[Organisation], contacts: list[Contact], actor: Actor
) -> list[Organisation]:
    """Insert new organisations and their first contacts (each checked as above,
    at most one an organisation, its primary), with history rows naming the
    actor, in four inserts. A constraint the database enforces refuses the
    whole call and nothing of it is written (its own savepoint)."""
    for organisation in organisations:
        organisation.normalise_name()  # as Organisation.save does
    created = bulk_create_with_history(organisations, Organisation, default_user=actor)
    for contact in contacts:
        # bulk_create takes the organisation's new id from contact.organisation.
        contact.is_primary = True
        contact.clean()  # as Contact.save does
    bulk_create_with_history(contacts, Contact, default_user=actor)
    # Bulk inserts send no post_save: do what its receiver does (partners.signals).
    from partners.reports import report_figures_invalidate

    transaction.on_commit(report_figures_invalidate)
    return created
