"""The access rule of every signed-in portal page."""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy

from ceop_crm.roles import is_partner_account, is_partner_user
from partners.portal.selectors import PortalScope, portal_scope


class PortalOrganisationMixin(AccessMixin):
    """Partner users only (staff get 403); reads go through `self.scope`.

    `scoped_object` is how a view turns a URL's id into an object: it looks in
    the organisation's own queryset, so another organisation's id is a 404.
    """

    login_url = reverse_lazy("portal:login")
    portal_section = ""
    scope: PortalScope

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_partner_user(request.user):
            if is_partner_account(request.user):
                raise PermissionDenied(
                    "Your organisation's access to the CEOP partner portal has "
                    "ended. If you think this is a mistake, contact your "
                    "relationship manager at CEOP."
                )
            raise PermissionDenied
        self.scope = portal_scope(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def scoped_object(self, queryset: QuerySet, **lookup) -> Model:
        return get_object_or_404(queryset, **lookup)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("organisation", self.scope.organisation)
        context.setdefault("portal_section", self.portal_section)
        return context
