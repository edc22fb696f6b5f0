"""Roles become API permissions here, on the same predicates as the workspace.

- Analysts (and every staff role) read; relationship managers and senior
  managers write; senior managers alone decide tier moves.
- Partner users read the resources a view opens to them (`partner_access`),
  always scoped to their organisation, and may do only the writes the portal
  allows (`partner_actions`): submitting proposals and keeping their own
  contacts up to date.
- Anyone else signed in gets 403.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from ceop_crm.access import may_edit_organisation
from ceop_crm.roles import can_edit, is_partner_user, is_senior_manager, is_staff_member
from partners.models import Organisation


def organisation_of(obj) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    return getattr(obj, "organisation", None)


class RolePermission(BasePermission):
    message = "Your role does not allow this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        action = getattr(view, "action", None)
        if is_staff_member(user):
            if action in getattr(view, "senior_actions", ()):
                return is_senior_manager(user)
            if request.method in SAFE_METHODS:
                return True
            return can_edit(user)
        if is_partner_user(user):
            if not getattr(view, "partner_access", False):
                return False
            if request.method in SAFE_METHODS:
                return True
            return action in getattr(view, "partner_actions", ())
        return False

    def has_object_permission(self, request, view, obj) -> bool:
        # A relationship manager changes only the organisations they run, as in
        # the workspace; reads stay open to every staff role.
        if request.method in SAFE_METHODS or not is_staff_member(request.user):
            return True
        organisation = organisation_of(obj)
        return organisation is None or may_edit_organisation(request.user, organisation)
