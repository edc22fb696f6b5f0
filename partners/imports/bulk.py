"""The rows of a chunk that create a new organisation (with its contact, if it
has one) and record nothing else, written together.

A row qualifies when the chunk's lookup (read once for all its rows) finds no
organisation with its reference or normalised name, no other row of the chunk
names the same one, and it gives no level, MoU, due diligence or review (those
rows, and the rows that update an organisation, go through the services one by
one). Each qualifying row is checked in Python by the rules the services apply
(partners.services.bulk), with their messages: a row a rule refuses fails with
it. The rest are written in four inserts with their history; if the database
refuses them (a name recorded since the chunk was read), nothing of them is
written and they go through the services one by one, where only the bad row
fails.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DatabaseError

from partners.dedupe.normalise import name_key
from partners.dedupe.selectors import organisation_likely_duplicates_many
from partners.imports.models import ImportRow
from partners.imports.rows import (
    RowContext,
    contact_new,
    contact_wanted,
    organisation_given,
    organisation_match,
    organisation_new_fields,
    possible_duplicates_message,
)
from partners.models import Contact, Organisation
from partners.services.bulk import (
    contact_check_unsaved,
    organisation_check_unsaved,
    organisations_create_with_contacts,
)

logger = logging.getLogger(__name__)

# What a row may give and still be written in bulk: the organisation and its
# contact. Anything else goes through the services.
BULK_KEYS = frozenset(
    {
        "external_ref",
        "name",
        "sector",
        "website",
        "country",
        "description",
        "owner_email",
        "deputy_email",
        "contact_name",
        "contact_email",
        "contact_job_title",
        "contact_phone",
    }
)


@dataclass
class _New:
    row: ImportRow
    data: dict
    organisation: Organisation
    contact: Contact | None


def _named_once(readable: list[tuple[ImportRow, dict]]) -> set[int]:
    """The rows whose reference and name key no other row of the chunk has."""
    seen: dict[tuple[str, str], list[int]] = {}
    for row, data in readable:
        for which in ("ref", "key"):
            value = (
                data.get("external_ref", "")
                if which == "ref"
                else name_key(data.get("name", ""))
            )
            if value:
                seen.setdefault((which, value), []).append(row.pk)
    twice = {pk for pks in seen.values() if len(pks) > 1 for pk in pks}
    return {row.pk for row, _ in readable} - twice


def _qualifies(data: dict, context: RowContext) -> bool:
    if any(value for key, value in data.items() if key not in BULK_KEYS):
        return False
    try:
        found = organisation_match(
            external_ref=data.get("external_ref", ""),
            name=data.get("name", ""),
            website=data.get("website", ""),
            lookup=context.lookup,
        )
    except ValidationError:
        return False  # it names a recorded one: the services say why it cannot
    return found is None


def _check(row: ImportRow, data: dict, context: RowContext) -> _New:
    """The row's new organisation and contact, unsaved, checked by the rules."""
    organisation = Organisation(
        **organisation_new_fields(data, organisation_given(data, context))
    )
    organisation_check_unsaved(organisation)
    contact = None
    wanted = contact_wanted(data)
    if wanted["name"] or wanted["email"]:
        contact = contact_new(organisation, wanted, is_primary=True)
        contact_check_unsaved(contact)
    return _New(row, data, organisation, contact)


def import_chunk_bulk(
    *,
    readable: list[tuple[ImportRow, dict]],
    context: RowContext,
    messages: Callable[[ValidationError], str],
) -> set[int]:
    """Apply the rows of the chunk that qualify (see the module) and record their
    outcomes on them; the ids of the rows done. ``messages`` turns a rule's
    error into the row's message, as for the rows the services apply."""
    once = _named_once(readable)
    done: set[int] = set()
    new: list[_New] = []
    for row, data in readable:
        if row.pk not in once or not _qualifies(data, context):
            continue
        try:
            new.append(_check(row, data, context))
        except ValidationError as error:
            row.outcome, row.organisation = ImportRow.Outcome.FAILED, None
            row.message = messages(error)
            done.add(row.pk)
    if not new:
        return done
    try:
        organisations_create_with_contacts(
            organisations=[n.organisation for n in new],
            contacts=[n.contact for n in new if n.contact is not None],
            actor=context.actor,
        )
    except DatabaseError:
        logger.info("The database refused a chunk's new organisations: row by row")
        return done
    twins = organisation_likely_duplicates_many(
        wanted=[
            {
                "name": n.organisation.name,
                "website": n.organisation.website,
                "email": n.data.get("contact_email", ""),
                "exclude_pk": n.organisation.pk,
            }
            for n in new
        ],
        limit=3,
    )
    for n, found in zip(new, twins, strict=True):
        n.row.outcome, n.row.organisation = ImportRow.Outcome.CREATED, n.organisation
        n.row.message = possible_duplicates_message(found)
        context.lookup.forget(
            external_ref=n.data.get("external_ref", ""),
            name=n.data.get("name", ""),
            organisation=n.organisation,
        )
        done.add(n.row.pk)
    return done
