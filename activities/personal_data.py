"""Where activities/ keeps personal data, for the data protection room (ceop_crm.privacy).

An activity concerns a contact who took part in it, or whom its summary names:
the subject access export holds it (and its earlier versions); erasure
anonymises the contact (the activity then names "Erased contact") and redacts
their name from every summary and version, as it does in every text column.
"""

from activities.models import Activity
from ceop_crm.privacy.sources import PersonalDataSource


def personal_data_sources() -> list[PersonalDataSource]:
    return [
        PersonalDataSource(
            key="activity",
            label="Activity (took part, or named in its summary)",
            model=Activity,
            contact_fields=("contacts",),
            text_fields=("summary",),
            whole_row=False,
        ),
    ]
