"""Sign-in pages: Django's auth views, styled, plus the second factor.

A password sign-in (by any path: this page, the portal's, a password reset or
an invitation) leaves the session unverified; SecondFactorMiddleware then
sends a user who must (staff, administrators) or chose to (partner users)
use a second factor here: to set up an authenticator app, or to enter a code.
"""

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceop_crm.auth import forms as auth_forms
from ceop_crm.auth.selectors import (
    SESSION_ENROLLED,
    recovery_codes_left,
    second_factor_enrolled,
    second_factor_missing,
    second_factor_obliged,
    second_factor_verified,
)
from ceop_crm.auth.services import (
    recovery_codes_generate,
    totp_device_confirm,
    totp_device_start,
    totp_key_base32,
    user_sessions_end,
)
from ceop_crm.forms import add_service_error
from ceop_crm.roles import is_partner_user

SESSION_SETUP_DEVICE = "ceop_second_factor_setup_device"


class SignInView(auth_views.LoginView):
    """Django's sign-in; a partner user who signs in here goes to the portal."""

    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        if is_partner_user(self.request.user):
            return reverse("portal:home")
        return super().get_default_redirect_url()

    def get_success_url(self) -> str:
        url = super().get_success_url()
        if is_partner_user(self.request.user) and not url.startswith("/portal/"):
            return reverse("portal:home")
        return url


class _NextMixin:
    """The page to go on to once the second factor is done (same site only)."""

    def next_url(self) -> str:
        url = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url and url_has_allowed_host_and_scheme(
            url,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            return url
        return reverse("portal:home") if is_partner_user(self.request.user) else "/"

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.next_url(), **kwargs)


def _verified(request, device) -> None:
    """Mark the session verified, under a new key (the password-only one ends)."""
    otp_login(request, device)
    request.session.cycle_key()


class SecondFactorVerifyView(LoginRequiredMixin, _NextMixin, FormView):
    template_name = "registration/two_factor_verify.html"
    form_class = auth_forms.SecondFactorVerifyForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if second_factor_verified(request):
                return redirect(self.next_url())
            if not second_factor_enrolled(user=request.user):
                return redirect(
                    reverse("two_factor_setup") + "?" + request.GET.urlencode()
                )
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        device = match_token(self.request.user, form.cleaned_data["token"])
        if device is None:
            form.add_error(
                "token",
                "That code is not right. Use the newest code from your app, or an unused recovery code.",
            )
            return self.form_invalid(form)
        _verified(self.request, device)
        if not isinstance(device, TOTPDevice):
            left = recovery_codes_left(user=self.request.user)
            messages.warning(
                self.request,
                f"You used a recovery code; {left} left. Set up your app again "
                "or make new codes from “Two-step sign-in”.",
            )
        return redirect(self.next_url())


class SecondFactorSetUpView(LoginRequiredMixin, _NextMixin, FormView):
    """Scan a QR code (or type the key) into an authenticator app, confirm a code."""

    template_name = "registration/two_factor_setup.html"
    form_class = auth_forms.CodeForm

    def dispatch(self, request, *args, **kwargs):
        # With an authenticator already set up, a password alone may not replace it.
        if (
            request.user.is_authenticated
            and second_factor_enrolled(user=request.user)
            and not second_factor_verified(request)
        ):
            return redirect(
                reverse("two_factor_verify") + "?" + request.GET.urlencode()
            )
        return super().dispatch(request, *args, **kwargs)

    def device(self) -> TOTPDevice:
        pk = self.request.session.get(SESSION_SETUP_DEVICE)
        device = TOTPDevice.objects.filter(
            pk=pk, user=self.request.user, confirmed=False
        ).first()
        if device is None:
            device = totp_device_start(user=self.request.user)
            self.request.session[SESSION_SETUP_DEVICE] = device.pk
        return device

    def get_context_data(self, **kwargs):
        device = self.device()
        secret = totp_key_base32(device)
        return super().get_context_data(
            qr_svg=segno.make(device.config_url, error="m").svg_inline(
                scale=5, dark="#1f2933", light="#ffffff", omitsize=False
            ),
            secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
            obliged=second_factor_obliged(self.request.user),
            replacing=second_factor_enrolled(user=self.request.user),
            **kwargs,
        )

    def form_valid(self, form):
        device = self.device()
        try:
            codes = totp_device_confirm(device=device, token=form.cleaned_data["token"])
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        self.request.session.pop(SESSION_SETUP_DEVICE, None)
        device.refresh_from_db()
        _verified(self.request, device)
        if not second_factor_obliged(self.request.user):
            self.request.session[SESSION_ENROLLED] = True
        return render(
            self.request,
            "registration/two_factor_recovery_codes.html",
            {"codes": codes, "next": self.next_url(), "new_app": True},
        )


class RecoveryCodesView(LoginRequiredMixin, _NextMixin, TemplateView):
    """How many recovery codes are left; make a new set (the old ones stop working)."""

    template_name = "registration/two_factor_manage.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and second_factor_missing(request):
            return redirect("two_factor_verify")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            enrolled=second_factor_enrolled(user=self.request.user),
            codes_left=recovery_codes_left(user=self.request.user),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not second_factor_enrolled(user=request.user):
            return redirect("two_factor_setup")
        codes = recovery_codes_generate(user=request.user)
        return render(
            request,
            "registration/two_factor_recovery_codes.html",
            {"codes": codes, "next": self.next_url(), "new_app": False},
        )


class SessionsEndElsewhereMixin:
    """Password change: count wrong current passwords, then sign out every other
    session of the user (this one continues under a new key)."""

    form_class = auth_forms.CountedPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        user_sessions_end(
            user=form.user, keep_session_key=self.request.session.session_key
        )
        return response


class PasswordChangeView(SessionsEndElsewhereMixin, auth_views.PasswordChangeView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    form_class = auth_forms.QueuedPasswordResetForm
