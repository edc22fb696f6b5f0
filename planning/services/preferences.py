"""Each person's choice of how each kind of notice reaches them, and unsubscribing.

A kind goes by email at once, into the daily digest, or stays in the app;
escalations and approvals (what a senior manager must decide) cannot be
switched to the app alone. A person who has not chosen gets the default of
their audience (staff or partner users), reference data seeded by a migration.
The one-click unsubscribe link (RFC 8058) carries a signed token of
(user, kind); it switches that kind to the app only.
"""

from django.core import signing
from django.db import transaction

from ceop_crm import mail
from ceop_crm.exceptions import ApplicationError, full_clean
from ceop_crm.roles import is_staff_member
from planning.email_models import (
    LOCKED_KINDS,
    Delivery,
    NoticeKind,
    NotificationDefault,
    NotificationPreference,
    PreferenceAudience,
)
from planning.models import Reminder

Step = Reminder.Step

LOCKED_MESSAGE = (
    "Escalations and approvals cannot be switched off: choose email at once or "
    "the daily digest."
)
UNSUBSCRIBE_SALT = "planning.email-unsubscribe"
# The digest's own unsubscribe: every optional kind it carries goes app-only.
DIGEST = "digest"

_KIND_OF_STEP = {
    Step.REVIEW_UPCOMING: NoticeKind.REVIEWS,
    Step.REVIEW_DUE: NoticeKind.REVIEWS,
    Step.REVIEW_OVERDUE: NoticeKind.REVIEWS,
    Step.REVIEW_ESCALATED: NoticeKind.ESCALATIONS,
    Step.MOU_ENDING_90: NoticeKind.MOUS,
    Step.MOU_ENDING_30: NoticeKind.MOUS,
    Step.MOU_ENDING_7: NoticeKind.MOUS,
    Step.MOU_ENDED: NoticeKind.MOUS,
    Step.DUE_DILIGENCE_ENDING_90: NoticeKind.DUE_DILIGENCE,
    Step.DUE_DILIGENCE_ENDING_30: NoticeKind.DUE_DILIGENCE,
    Step.DUE_DILIGENCE_ENDING_7: NoticeKind.DUE_DILIGENCE,
    Step.ASSOCIATION_AT_RISK: NoticeKind.ESCALATIONS,
    Step.MILESTONE_UPCOMING: NoticeKind.MILESTONES,
    Step.ISSUE_ESCALATION: NoticeKind.ISSUES,
    Step.APPROVAL_WAITING: NoticeKind.APPROVALS,
}


def notice_kind(step: str) -> str | None:
    """The kind of a reminder's step; None for steps no preference governs."""
    return _KIND_OF_STEP.get(step)


def _audience(user) -> str:
    return (
        PreferenceAudience.STAFF
        if is_staff_member(user)
        else PreferenceAudience.PARTNER
    )


def notification_defaults() -> dict[tuple[str, str], str]:
    return {
        (kind, audience): delivery
        for kind, audience, delivery in NotificationDefault.objects.values_list(
            "kind", "audience", "delivery"
        )
    }


def deliveries_for(*, user_ids: set[int], staff_ids: set[int]) -> dict:
    """{(user id, kind): delivery} for these people, chosen or by default; two queries."""
    defaults = notification_defaults()
    chosen = {
        (user_id, kind): delivery
        for user_id, kind, delivery in NotificationPreference.objects.filter(
            user_id__in=list(user_ids)
        ).values_list("user_id", "kind", "delivery")
    }
    result = {}
    for user_id in user_ids:
        audience = (
            PreferenceAudience.STAFF
            if user_id in staff_ids
            else PreferenceAudience.PARTNER
        )
        for kind in NoticeKind.values:
            result[(user_id, kind)] = chosen.get(
                (user_id, kind), defaults.get((kind, audience), Delivery.EMAIL)
            )
    return result


def preference_map(*, user) -> dict[str, str]:
    """{kind: delivery} of one person, chosen or by default."""
    staff_ids = {user.pk} if is_staff_member(user) else set()
    every = deliveries_for(user_ids={user.pk}, staff_ids=staff_ids)
    return {kind: every[(user.pk, kind)] for kind in NoticeKind.values}


@transaction.atomic
def preferences_set(*, user, choices: dict[str, str]) -> dict[str, str]:
    """Record a person's choices; refuses an unknown kind or delivery, and app-only
    for escalations and approvals. Nothing is saved when one choice is refused."""
    errors: dict[str, list[str]] = {}
    for kind, delivery in choices.items():
        if kind not in NoticeKind.values:
            errors[kind] = ["Unknown kind of notice."]
        elif delivery not in Delivery.values:
            errors[kind] = ["Choose email at once, the daily digest or the app only."]
        elif kind in LOCKED_KINDS and delivery == Delivery.APP:
            errors[kind] = [LOCKED_MESSAGE]
    if errors:
        raise ApplicationError(errors)
    for kind, delivery in choices.items():
        preference = NotificationPreference.objects.filter(
            user=user, kind=kind
        ).first() or NotificationPreference(user=user, kind=kind)
        preference.delivery = delivery
        full_clean(preference)
        preference.save()
    return preference_map(user=user)


# --- One-click unsubscribe ---------------------------------------------------


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_read(token: str) -> tuple[int | str, str]:
    """(user id, kind) of a token, or (address, kind) for an address without an
    account (planning/services/address_preferences.py); ApplicationError when
    it is not ours."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        subject = str(data["a"]) if "a" in data else int(data["u"])
        kind = str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ApplicationError("This unsubscribe link is not valid.") from None
    if kind != DIGEST and kind not in NoticeKind.values:
        raise ApplicationError("This unsubscribe link is not valid.")
    if isinstance(subject, str) and kind == DIGEST:
        raise ApplicationError("This unsubscribe link is not valid.")
    if kind in LOCKED_KINDS:
        raise ApplicationError(LOCKED_MESSAGE)
    return subject, kind


@transaction.atomic
def unsubscribe(*, token: str) -> list[str]:
    """Switch the token's kind (or every optional kind the digest carries) to the app
    only; returns the kinds switched."""
    from django.contrib.auth import get_user_model

    user_id, kind = unsubscribe_read(token)
    if isinstance(user_id, str):
        from planning.services.address_preferences import address_choices_set

        address_choices_set(address=user_id, receive={kind: False})
        return [kind]
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise ApplicationError("This unsubscribe link is not valid.")
    if kind == DIGEST:
        current = preference_map(user=user)
        kinds = [
            k
            for k, delivery in current.items()
            if delivery == Delivery.DIGEST and k not in LOCKED_KINDS
        ]
    else:
        kinds = [kind]
    preferences_set(user=user, choices=dict.fromkeys(kinds, Delivery.APP))
    return kinds


def list_headers(
    *, user, kind: str | None, reply_to: str | None = None
) -> dict[str, str]:
    """Reply-To, and for an optional kind RFC 8058's one-click unsubscribe headers.

    ``reply_to``: the team's mailbox, read once by the send batch
    (``email_reply_to``); read here when a caller sends one email.
    """
    from django.urls import reverse

    from planning.email_selectors import email_reply_to

    headers = {}
    if reply_to is None:
        reply_to = email_reply_to()
    if reply_to:
        headers["Reply-To"] = reply_to
    if kind is not None and kind not in LOCKED_KINDS:
        url = mail.absolute_url(
            reverse(
                "email_unsubscribe",
                args=[unsubscribe_token(user_id=user.pk, kind=kind)],
            )
        )
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def preferences_url(*, user, staff: bool | None = None) -> str:
    """The person's preference page; ``staff`` given by a batch that read it once."""
    from django.urls import reverse

    if staff is None:
        staff = is_staff_member(user)
    name = "email_preferences" if staff else "portal_email_preferences"
    return mail.absolute_url(reverse(name))


def staff_ids_among(user_ids: set[int]) -> set[int]:
    """Which of these users are staff (a staff role, or an administrator); one query."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from ceop_crm.roles import STAFF_ROLES

    return set(
        get_user_model()
        .objects.filter(
            Q(is_superuser=True) | Q(groups__name__in=STAFF_ROLES),
            pk__in=list(user_ids),
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def delivery_rows(rows: list[tuple]) -> list[tuple]:
    """Reminder rows (recipient first, kind last) with the kind replaced by the
    recipient's delivery for it; three queries whatever the number of rows."""
    if not rows:
        return rows
    user_ids = {row[0] for row in rows}
    deliveries = deliveries_for(user_ids=user_ids, staff_ids=staff_ids_among(user_ids))
    return [
        (*row[:-1], deliveries[(row[0], row[-1])] if row[-1] else Delivery.EMAIL)
        for row in rows
    ]
