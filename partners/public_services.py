"""Approaches from new organisations through the public form at /get-involved/."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ceop_crm.exceptions import ApplicationError
from ceop_crm.mail import email_queue
from partners.models import Contact, Organisation, Proposal
from partners.services import contact_save, organisation_create, proposal_submit
from priorities.models import PriorityArea, Threat


def _name_taken_message(name: str) -> str:
    return (
        f"CEOP already knows an organisation called “{name}”. If you already work "
        "with CEOP, please contact your relationship manager or sign in to the "
        "partner portal; otherwise give your organisation's full registered name."
    )


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
    """Create a prospect organisation, its contact and a proposal for triage.

    All or nothing: a broken rule anywhere leaves no organisation behind.
    """
    name = " ".join(organisation_name.split())
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ApplicationError({"organisation_name": [_name_taken_message(name)]})
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
    except IntegrityError:
        # Another approach with the same name committed a moment ago.
        raise ApplicationError(
            {"organisation_name": [_name_taken_message(name)]}
        ) from None
    except ValidationError as error:
        raise _renamed(error, ORGANISATION_FIELDS) from None
    try:
        contact_save(
            contact=Contact(
                organisation=organisation,
                name=contact_name.strip(),
                job_title=job_title.strip(),
                email=contact_email.strip(),
                phone=contact_phone.strip(),
                is_primary=True,
            ),
            actor=None,
        )
    except ValidationError as error:
        raise _renamed(error, CONTACT_FIELDS) from None
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
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
    )
    email_queue(
        to=[contact_email.strip()],
        subject="CEOP has received your offer of support",
        template="approach_acknowledgement",
        context={
            "name": contact_name.strip(),
            "organisation": organisation.name,
            "title": proposal.title,
            "reference": f"P-{proposal.pk:06d}",
        },
    )
    return proposal
