"""Staff roles are Django groups created by a data migration (partners/0002)."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

RELATIONSHIP_MANAGER = "Relationship manager"
SENIOR_MANAGER = "Senior manager"
ANALYST = "Analyst"
# Not a workspace role: the data protection room only (ceop_crm/privacy).
DATA_PROTECTION_OFFICER = "Data protection officer"
STAFF_ROLES = (RELATIONSHIP_MANAGER, SENIOR_MANAGER, ANALYST)
EDITOR_ROLES = (RELATIONSHIP_MANAGER, SENIOR_MANAGER)

User = AbstractBaseUser | AnonymousUser


def _group_names(user: User) -> frozenset[str]:
    """The user's role groups (staff roles and data protection), read once per
    request object."""
    cached = getattr(user, "_ceop_roles", None)
    if cached is None:
        cached = frozenset(
            user.groups.filter(
                name__in=(*STAFF_ROLES, DATA_PROTECTION_OFFICER)
            ).values_list("name", flat=True)
        )
        user._ceop_roles = cached
    return cached


def user_roles(user: User) -> frozenset[str]:
    """The staff roles of a user, read once per request object."""
    if not user.is_authenticated:
        return frozenset()
    return _group_names(user) & frozenset(STAFF_ROLES)


def is_staff_member(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(user_roles(user)))


def can_edit(user: User) -> bool:
    return user.is_authenticated and (
        user.is_superuser or bool(user_roles(user) & set(EDITOR_ROLES))
    )


def is_senior_manager(user: User) -> bool:
    return user.is_authenticated and (
        user.is_superuser or SENIOR_MANAGER in user_roles(user)
    )


def is_partner_account(user: User) -> bool:
    """A user linked to an organisation through the portal, live or not.

    Only for keeping such users inside the portal's pages; what they may read or
    do is `is_partner_user`.
    """
    return (
        user.is_authenticated
        and not is_staff_member(user)
        and hasattr(user, "portal_membership")
    )


def is_data_protection_officer(user: User) -> bool:
    """The data protection role, or an administrator: the only ones reaching
    person search, subject access exports, erasure and the read log."""
    return user.is_authenticated and (
        user.is_superuser or DATA_PROTECTION_OFFICER in _group_names(user)
    )


def is_partner_user(user: User) -> bool:
    """A partner user whose access is live: the one predicate of portal, API,
    calendar feed and MoU downloads alike.

    Access ends with the relationship: when the organisation's status is ended,
    or when it has had an association and none runs today or later. Read once
    per request object.
    """
    if not is_partner_account(user):
        return False
    cached = getattr(user, "_ceop_partner_live", None)
    if cached is None:
        from partners.selectors import relationship_is_live

        cached = relationship_is_live(
            organisation_id=user.portal_membership.organisation_id
        )
        user._ceop_partner_live = cached
    return cached
