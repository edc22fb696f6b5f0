"""Where planning/ keeps personal data, for the data protection room (ceop_crm.privacy)."""

from ceop_crm.privacy.sources import PersonalDataSource
from planning.models import AddressOptOut, Reminder, SelfAssessment


def personal_data_sources() -> list[PersonalDataSource]:
    return [
        PersonalDataSource(
            key="self_assessment",
            label="Self-assessment author",
            model=SelfAssessment,
            user_fields=("submitted_by",),
            organisation="review__organisation",
            whole_row=False,
        ),
        PersonalDataSource(
            key="reminder",
            label="Reminder",
            model=Reminder,
            user_fields=("recipient",),
            text_fields=("title", "body"),
            organisation=None,
            whole_row=False,
        ),
        PersonalDataSource(
            key="address_opt_out",
            label="Notices switched off (address without an account)",
            model=AddressOptOut,
            email_fields=("address",),
            organisation=None,
            delete_on_erasure=True,
        ),
    ]
