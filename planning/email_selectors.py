"""Reads of email preferences, email settings and scheduled reports."""

from email.utils import formataddr

from django.conf import settings
from django.db.models import QuerySet

from planning.models import AddressOptOut, EmailSettings, ReportSubscription


def report_subscription_list() -> QuerySet[ReportSubscription]:
    return ReportSubscription.objects.select_related(
        "user", "group", "created_by"
    ).order_by("report", "frequency", "pk")


def email_settings_get() -> EmailSettings:
    """The one row of email settings, or an unsaved empty one; one query."""
    return (
        EmailSettings.objects.select_related("updated_by")
        .filter(pk=EmailSettings.SINGLE_ROW)
        .first()
    ) or EmailSettings(pk=EmailSettings.SINGLE_ROW)


def email_reply_to() -> str:
    """The Reply-To of reminder, digest, self-assessment and scheduled-report mail.

    The team's mailbox set in the app, else the ``MAIL_REPLY_TO`` setting, else
    "" (no Reply-To). One query: a send batch reads it once and passes it on.
    """
    row = (
        EmailSettings.objects.filter(pk=EmailSettings.SINGLE_ROW)
        .values_list("reply_to_address", "reply_to_name")
        .first()
    )
    if row and row[0]:
        address, name = row
        return formataddr((name, address)) if name else address
    return getattr(settings, "MAIL_REPLY_TO", "")


def address_opt_outs(*, addresses) -> set[tuple[str, str]]:
    """{(lower-case address, kind)} switched off among these addresses; one query."""
    wanted = sorted({a.strip().lower() for a in addresses if a})
    if not wanted:
        return set()
    return set(
        AddressOptOut.objects.filter(address__in=wanted).values_list("address", "kind")
    )


def email_settings_history(*, limit: int = 20) -> list:
    """The latest changes of the email settings, newest first, with who made them."""
    return list(
        EmailSettings.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )[:limit]
    )
