"""Approaches from new organisations through the public form at /get-involved/."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ceop_crm.exceptions import ApplicationError
from ceop_crm.mail import email_queue
from partners.dedupe.normalise import clean_name
from partners.models import Contact, Organisation, Proposal
from partners.selectors import organisation_find_by_name
from partners.services import contact_save, organisation_create, proposal_submit
from priorities.models import PriorityArea, Threat

ORGANISATION_FIELDS = {
    "name": "organisation_name",
    "description": "description",
    "website": "website",
    "country": "country",
    "sector": "sector",
}
CONTACT_FIELDS = {
    "name": "contact_name",
    "email": "contact_email",
    "phone": "contact_phone",
    "job_title": "job_title",
}


def _renamed(error: ValidationError, fields: dict[str, str]) -> ApplicationError:
    """A model's error, keyed by the public form's field names."""
    if not hasattr(error, "error_dict"):
        return ApplicationError(error.messages)
    return ApplicationError(
        {
            fields.get(name, "__all__"): messages
            for name, messages in error.message_dict.items()
        }
    )


@transaction.atomic
def approach_submit(
    *,
    organisation_name: str,
    sector: str,
    country: str,
    website: str,
    description: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str,
    job_title: str,
    title: str,
    offer: str,
    kind: str,
    priority_areas: Iterable[PriorityArea] = (),
    threat: Threat | None = None,
    new_threat: str = "",
    other_suggestion: bool = False,
) -> Proposal:
    """Record an approach for triage: a new prospect organisation with its contact,
    or, when the name is one CEOP knows (same normalised name), a proposal of that
    organisation marked for staff to check.

    The answer is the same either way: an outsider never learns whether CEOP
    knows an organisation. All or nothing: a broken rule anywhere leaves no
    organisation behind.
    """
    name = clean_name(organisation_name)
    contact_name = clean_name(contact_name)
    contact_email = contact_email.strip()
    organisation = organisation_find_by_name(name=name)
    matched = organisation is not None
    if organisation is None:
        try:
            with transaction.atomic():
                organisation = organisation_create(
                    actor=None,
                    name=name,
                    sector=sector,
                    country=country.strip() or "United Kingdom",
                    website=website.strip(),
                    description=description.strip(),
                    status=Organisation.Status.PROSPECT,
                )
        except (IntegrityError, ValidationError) as error:
            # Another approach with the same name may have committed a moment ago.
            organisation = organisation_find_by_name(name=name)
            if organisation is None:
                if isinstance(error, ValidationError):
                    raise _renamed(error, ORGANISATION_FIELDS) from None
                raise
            matched = True
    if not matched:
        try:
            contact_save(
                contact=Contact(
                    organisation=organisation,
                    name=contact_name,
                    job_title=job_title.strip(),
                    email=contact_email,
                    phone=contact_phone.strip(),
                    is_primary=True,
                ),
                actor=None,
            )
        except ValidationError as error:
            raise _renamed(error, CONTACT_FIELDS) from None
    # A known organisation's contacts are not changed by an outsider: the sender's
    # details stay on the proposal until staff have checked them.
    proposal = proposal_submit(
        organisation=organisation,
        title=title.strip(),
        offer=offer.strip(),
        actor=None,
        priority_areas=priority_areas,
        threat=threat,
        new_threat=new_threat,
        other_suggestion=other_suggestion,
        source=Proposal.Source.PUBLIC,
        kind=kind,
        contact_name=contact_name,
        contact_email=contact_email,
        submitted_as=name,
        matched_by_name=matched,
    )
    # Quotes nothing the visitor typed but their own name: the message goes to
    # whatever address was given, so it must carry nothing else of theirs.
    from planning.services.address_preferences import address_preferences_url

    email_queue(
        to=[contact_email],
        subject="CEOP has received your offer of support",
        template="approach_acknowledgement",
        context={
            "name": contact_name,
            "reference": f"P-{proposal.pk:06d}",
            # The sender may have no account: the signed link of the address.
            "preferences_url": address_preferences_url(address=contact_email),
        },
    )
    return proposal
