"""Where partners/ keeps personal data, for the data protection room (ceop_crm.privacy).

Declarations only: person search, subject access export, erasure and retention
read them, so the fields named here are the ones those reach.
"""

from ceop_crm.privacy.sources import PersonalDataSource
from partners.models import (
    Contact,
    DueDiligence,
    MoU,
    OwnershipLevel,
    PortalMembership,
    Proposal,
)


def personal_data_sources() -> list[PersonalDataSource]:
    return [
        PersonalDataSource(
            key="contact",
            label="Contact",
            model=Contact,
            name_fields=("name",),
            email_fields=("email",),
            other_fields=("job_title", "phone"),
            erased_name="Erased contact",
        ),
        PersonalDataSource(
            key="portal_membership",
            label="Portal membership",
            model=PortalMembership,
            user_fields=("user",),
        ),
        PersonalDataSource(
            key="proposal_sender",
            label="Proposal sender",
            model=Proposal,
            name_fields=("contact_name",),
            email_fields=("contact_email",),
            user_fields=("submitted_by",),
            text_fields=("offer",),
        ),
        PersonalDataSource(
            key="mou_signatory",
            label="MoU signatory",
            model=MoU,
            name_fields=("ceop_signatory", "partner_signatory"),
            whole_row=False,
        ),
        PersonalDataSource(
            key="ownership_level",
            label="MoU ownership level",
            model=OwnershipLevel,
            name_fields=("name",),
            email_fields=("email",),
            other_fields=("role",),
            organisation="mou__organisation",
            erased_name="Erased person",
        ),
        PersonalDataSource(
            key="due_diligence",
            label="Due diligence notes",
            model=DueDiligence,
            text_fields=("notes",),
            whole_row=False,
        ),
    ]
