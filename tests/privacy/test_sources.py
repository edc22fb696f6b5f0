"""The declarations of where personal data is kept."""

import pytest

from ceop_crm.privacy.sources import PersonalDataSource
from partners.models import Contact, MoU


def test_only_a_whole_row_without_history_may_be_deleted_on_erasure():
    with pytest.raises(ValueError, match="only a whole row without history"):
        PersonalDataSource(
            key="mou", label="MoU", model=MoU, whole_row=False, delete_on_erasure=True
        )
    with pytest.raises(ValueError, match="only a whole row without history"):
        PersonalDataSource(
            key="contact", label="Contact", model=Contact, delete_on_erasure=True
        )
