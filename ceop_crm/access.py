"""Who may reach what: the one place where roles become access rules.

Views use these mixins (or decorators); the API uses the permission classes
built on the same predicates; PartnerAreaMiddleware keeps partner users inside
/portal/ (and public pages) whatever a view forgets.
"""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from ceop_crm.roles import (
    can_edit,
    is_data_protection_officer,
    is_partner_account,
    is_partner_user,
    is_senior_manager,
    is_staff_member,
)


def may_edit_organisation(user, organisation) -> bool:
    """Managers run the organisations they own or deputise for; senior managers
    run all of them, and alone run one nobody owns yet (every public approach)
    until they assign its owner at triage; analysts none. Workspace and API alike."""
    if not can_edit(user):
        return False
    if is_senior_manager(user):
        return True
    return organisation.owner_id is not None and user.pk in (
        organisation.owner_id,
        organisation.deputy_id,
    )


def may_change_ownership(user, organisation) -> bool:
    """Who owns and deputises for a relationship is changed by its owner or a
    senior manager: a deputy cannot hand the organisation away."""
    if is_senior_manager(user):
        return True
    return (
        can_edit(user)
        and organisation.owner_id is not None
        and organisation.owner_id == user.pk
    )


class _RoleRequiredMixin(AccessMixin):
    """Anonymous users go to sign-in; signed-in users without the role get 403."""

    raise_exception = False

    def has_role(self, user) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.has_role(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StaffRequiredMixin(_RoleRequiredMixin):
    """Any staff role: relationship manager, senior manager, analyst (read)."""

    def has_role(self, user) -> bool:
        return is_staff_member(user)


class EditorRequiredMixin(_RoleRequiredMixin):
    """Staff who may change data: relationship managers and senior managers."""

    def has_role(self, user) -> bool:
        return can_edit(user)


class SeniorManagerRequiredMixin(_RoleRequiredMixin):
    def has_role(self, user) -> bool:
        return is_senior_manager(user)


class DataProtectionRequiredMixin(_RoleRequiredMixin):
    """The data protection officer or an administrator, nobody else."""

    def has_role(self, user) -> bool:
        return is_data_protection_officer(user)


class PartnerRequiredMixin(_RoleRequiredMixin):
    """A partner user (linked to one organisation, never staff)."""

    def has_role(self, user) -> bool:
        return is_partner_user(user)


# Paths a partner user may reach outside the portal.
PARTNER_ALLOWED_PREFIXES = (
    "/portal/",
    "/get-involved/",
    "/privacy-notice/",
    "/accounts/",
    "/calendar/",
    "/email/unsubscribe/",
    "/static/",
    "/api/",  # the API scopes partner users to their own organisation
)


class PartnerAreaMiddleware:
    """Partner users get 403 everywhere outside the portal and public pages
    (those whose access ended too: they get 403 inside the portal as well)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(PARTNER_ALLOWED_PREFIXES)
            and request.path != "/"
            and is_partner_account(user)
        ):
            raise PermissionDenied
        return self.get_response(request)
