"""The team's mailbox that replies reach, set by administrators and senior managers.

One row (``EmailSettings``); its history records who changed it. Mail reads it
through ``planning.email_selectors.email_reply_to``, once per send batch.
"""

from django.db import transaction

from ceop_crm.exceptions import ApplicationError, full_clean
from ceop_crm.roles import is_senior_manager
from planning.models import EmailSettings

NOT_ALLOWED = "Only administrators and senior managers change the email settings."


def may_change_email_settings(user) -> bool:
    """Administrators and senior managers: those who run the team's mailbox."""
    return is_senior_manager(user)


@transaction.atomic
def email_settings_set(
    *, actor, reply_to_address: str, reply_to_name: str
) -> EmailSettings:
    """Set (or clear, with an empty address) the team's reply-to mailbox; a name
    without an address is refused (EmailSettings.clean)."""
    if not may_change_email_settings(actor):
        raise ApplicationError(NOT_ALLOWED)
    address = (reply_to_address or "").strip()
    name = " ".join((reply_to_name or "").split())
    settings_row = (
        EmailSettings.objects.select_for_update()
        .filter(pk=EmailSettings.SINGLE_ROW)
        .first()
    ) or EmailSettings(pk=EmailSettings.SINGLE_ROW)
    settings_row.reply_to_address = address
    settings_row.reply_to_name = name
    settings_row.updated_by = actor
    settings_row._history_user = actor
    full_clean(settings_row)
    settings_row.save()
    return settings_row
