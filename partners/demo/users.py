"""One demo user per role, for development: see the create_demo_users command."""

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction

from ceop_crm import roles
from ceop_crm.auth.services import second_factor_issue
from partners.models import Contact, Organisation, PortalMembership
from tiers.models import Association

PARTNER_TIERS = ("strategic-partner", "partner")


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    last_name: str
    group: str | None = None
    superuser: bool = False
    partner: bool = False


DEMO_USERS = (
    DemoUser("admin", "Administrator", "Jordan", "Hale", superuser=True),
    DemoUser(
        "manager", "Relationship manager", "Sam", "Okafor", roles.RELATIONSHIP_MANAGER
    ),
    DemoUser("senior", "Senior manager", "Helen", "Ashdown", roles.SENIOR_MANAGER),
    DemoUser("analyst", "Analyst", "Priya", "Nandakumar", roles.ANALYST),
    DemoUser("partner", "Partner user", "Chris", "Pemberton", partner=True),
)


@dataclass(frozen=True)
class DemoUserResult:
    username: str
    role: str
    password: str | None = None
    note: str = ""
    skipped: bool = False
    second_factor_key: str = ""
    recovery_codes: tuple[str, ...] = ()


def demo_user(username: str) -> DemoUser:
    return next(u for u in DEMO_USERS if u.username == username)


def demo_password() -> str:
    return secrets.token_urlsafe(12)


def demo_partner_organisation() -> Organisation | None:
    """The first organisation by name that is currently a Partner or Strategic Partner."""
    association = (
        Association.objects.filter(end__isnull=True, tier__code__in=PARTNER_TIERS)
        .select_related("organisation")
        .order_by("organisation__name")
        .first()
    )
    return association.organisation if association else None


def _partner_link(user: AbstractBaseUser, organisation: Organisation) -> str:
    if PortalMembership.objects.filter(user=user).exists():
        return ""
    contact = Contact.objects.filter(organisation=organisation, is_primary=True).first()
    PortalMembership.objects.create(
        user=user, organisation=organisation, contact=contact
    )
    return f"portal user of {organisation.name}"


@transaction.atomic
def demo_users_ensure(*, reset_passwords: bool = False) -> list[DemoUserResult]:
    """Create the demo users that are missing; only new or reset passwords are returned.

    A user without a usable password (seed_demo makes the demo managers that way,
    to own organisations) counts as new: it gets a password here.
    """
    user_model = get_user_model()
    results = []
    organisation = demo_partner_organisation()
    for spec in DEMO_USERS:
        user = user_model.objects.filter(username=spec.username).first()
        if (
            spec.partner
            and organisation is None
            and (user is None or not hasattr(user, "portal_membership"))
        ):
            results.append(
                DemoUserResult(
                    spec.username,
                    spec.role,
                    note="not created: no Partner or Strategic Partner organisation "
                    "yet (run seed_demo first)",
                    skipped=True,
                )
            )
            continue
        created = user is None
        if created:
            email_domain = "ceop.example"
            if spec.partner and organisation.website:
                email_domain = urlsplit(organisation.website).hostname.removeprefix(
                    "www."
                )
            user = user_model(
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=f"{spec.username}@{email_domain}",
            )
        user.is_superuser = user.is_staff = spec.superuser
        new_password = None
        if created or reset_passwords or not user.has_usable_password():
            new_password = demo_password()
            user.set_password(new_password)
        user.save()
        if spec.group:
            user.groups.add(Group.objects.get(name=spec.group))
        note = _partner_link(user, organisation) if spec.partner else ""
        key, codes = "", []
        # Staff and the administrator sign in with a second factor: a new
        # password comes with a new authenticator key and recovery codes.
        if new_password and not spec.partner:
            key, codes = second_factor_issue(user=user)
        results.append(
            DemoUserResult(
                spec.username,
                spec.role,
                new_password,
                note,
                second_factor_key=key,
                recovery_codes=tuple(codes),
            )
        )
    return results
