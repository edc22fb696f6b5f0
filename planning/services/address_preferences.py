"""What an address without an account still receives, chosen through a signed link.

The reminder sweep emails some people who have no account: an organisation's
primary contact (reviews, MoUs, the planning cycle's milestones) and the
escalation contacts of an MoU's ownership hierarchy (escalated reviews and
issues). Each such email links to a page, reached without signing in through
a signed token of the address (django.core.signing, no expiry: a link in an
old email keeps working), where the address switches off the optional kinds;
escalations cannot be switched off. It also carries RFC 8058's one-click
unsubscribe header for the kind it is about. The sweep records no email of a
kind the address switched off.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from ceop_crm import mail
from ceop_crm.exceptions import ApplicationError
from planning.email_models import LOCKED_KINDS, AddressOptOut, NoticeKind
from planning.email_selectors import address_opt_outs

ADDRESS_SALT = "planning.address-preferences"
INVALID = "This link is not valid."
# What reaches an address without an account (planning/services/reminders).
ADDRESS_KINDS = (
    NoticeKind.REVIEWS,
    NoticeKind.MOUS,
    NoticeKind.MILESTONES,
    NoticeKind.ISSUES,
    NoticeKind.ESCALATIONS,
)


def _normal(address: str) -> str:
    address = (address or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ApplicationError(INVALID) from None
    return address


def address_token(*, address: str) -> str:
    """A signed token of the address, without a timestamp: the same link in
    every email, valid for as long as the project's secret key."""
    return signing.Signer(salt=ADDRESS_SALT).sign_object({"a": _normal(address)})


def address_read(token: str) -> str:
    """The address of a preferences token; ApplicationError when it is not ours."""
    try:
        data = signing.Signer(salt=ADDRESS_SALT).unsign_object(token)
        address = str(data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ApplicationError(INVALID) from None
    return _normal(address)


def address_preferences_url(*, address: str) -> str:
    return mail.absolute_url(
        reverse("address_email_preferences", args=[address_token(address=address)])
    )


def address_headers(*, address: str, kind: str | None, reply_to: str) -> dict:
    """Reply-To, and for an optional kind the one-click unsubscribe headers."""
    from planning.services.preferences import UNSUBSCRIBE_SALT

    headers = {"Reply-To": reply_to} if reply_to else {}
    if kind is not None and kind not in LOCKED_KINDS:
        token = signing.dumps({"a": _normal(address), "k": kind}, salt=UNSUBSCRIBE_SALT)
        url = mail.absolute_url(reverse("email_unsubscribe", args=[token]))
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def address_choices(*, address: str) -> dict[str, bool]:
    """{kind: still received} of an address; one query."""
    off = {kind for _, kind in address_opt_outs(addresses=[address])}
    return {kind: kind not in off for kind in ADDRESS_KINDS}


@transaction.atomic
def address_choices_set(*, address: str, receive: dict[str, bool]) -> dict[str, bool]:
    """Record which kinds an address still receives; refuses switching off a
    locked kind, and saves nothing then."""
    address = _normal(address)
    errors = {
        kind: ["Unknown kind of notice."]
        for kind in receive
        if kind not in ADDRESS_KINDS
    }
    errors |= {
        kind: ["Escalations cannot be switched off."]
        for kind, wanted in receive.items()
        if kind in LOCKED_KINDS and not wanted
    }
    if errors:
        raise ApplicationError(errors)
    off = [kind for kind, wanted in receive.items() if not wanted]
    on = [kind for kind, wanted in receive.items() if wanted]
    AddressOptOut.objects.filter(address=address, kind__in=on).delete()
    existing = set(
        AddressOptOut.objects.filter(address=address, kind__in=off).values_list(
            "kind", flat=True
        )
    )
    AddressOptOut.objects.bulk_create(
        [
            AddressOptOut(address=address, kind=kind)
            for kind in off
            if kind not in existing
        ],
        ignore_conflicts=True,
    )
    return address_choices(address=address)
