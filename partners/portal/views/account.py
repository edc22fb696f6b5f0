"""Signing in and out, passwords, accepting an invitation."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse, reverse_lazy

from ceop_crm.auth.forms import QueuedPasswordResetForm
from ceop_crm.auth.selectors import second_factor_enrolled
from ceop_crm.auth.views import SessionsEndElsewhereMixin
from ceop_crm.forms import add_service_error
from ceop_crm.roles import STAFF_ROLES, is_partner_user
from partners.portal import forms as portal_forms
from partners.portal.mixins import PortalOrganisationMixin
from partners.portal.services import portal_accept_invitation
from partners.portal.tokens import invitation_tokens

# Sign-in, password and invitation ------------------------------------------------


class PortalLoginView(auth_views.LoginView):
    form_class = portal_forms.PortalAuthenticationForm
    template_name = "portal/auth/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        if is_partner_user(self.request.user):
            return reverse("portal:home")
        return "/"


class PortalLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("portal:login")


class PortalPasswordResetForm(QueuedPasswordResetForm):
    """Only partner users get a portal reset link; mail goes through the queue."""

    subject = "Reset your CEOP partner portal password"
    template = "portal_password_reset"
    confirm_url_name = "portal:password_reset_confirm"

    def get_users(self, email):
        return (
            user
            for user in super().get_users(email)
            if hasattr(user, "portal_membership")
            and not user.is_staff
            and not user.is_superuser
            and not user.groups.filter(name__in=STAFF_ROLES).exists()
        )


class PortalPasswordResetView(auth_views.PasswordResetView):
    form_class = PortalPasswordResetForm
    template_name = "portal/auth/password_reset_form.html"
    success_url = reverse_lazy("portal:password_reset_done")


class PortalPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/auth/password_reset_done.html"


class PortalPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/auth/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and is_partner_user(user) else None


class PortalPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/auth/password_reset_complete.html"


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The single-use link of an invitation: choose a password, then sign in."""

    template_name = "portal/auth/invitation_accept.html"
    token_generator = invitation_tokens
    form_class = SetPasswordForm
    reset_url_token = "set-password"  # noqa: S105 - a URL segment, not a secret

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if (
            user is None
            or not user.is_active
            or not is_partner_user(user)
            or user.has_usable_password()
        ):
            return None
        return user

    def form_valid(self, form):
        try:
            user = portal_accept_invitation(
                user=self.user, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            self.request, "Welcome to the CEOP partner portal. Your password is set."
        )
        return HttpResponseRedirect(reverse("portal:home"))


class PortalPasswordChangeView(
    PortalOrganisationMixin, SessionsEndElsewhereMixin, auth_views.PasswordChangeView
):
    template_name = "portal/auth/password_change.html"
    success_url = reverse_lazy("portal:home")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            second_factor_enrolled=second_factor_enrolled(user=self.request.user),
            **kwargs,
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response
