"""What every request passes: the second factor, session time limits, no-store.

Order (settings.MIDDLEWARE): after AuthenticationMiddleware and django-otp's
OTPMiddleware, so ``request.user.is_verified()`` is known.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from ceop_crm.auth.selectors import second_factor_missing, second_factor_obliged

# Set at sign-in (signals.py) and refreshed as the user works.
SESSION_SIGNED_IN_AT = "ceop_signed_in_at"
SESSION_LAST_SEEN = "ceop_last_seen"
# Saving the session on every request would cost a write per page: the
# last-seen time is refreshed at most once a minute.
LAST_SEEN_GRANULARITY = 60

# Where a signed-in user who still owes the second factor may go.
SECOND_FACTOR_OPEN_PREFIXES = (
    "/accounts/two-factor/",
    "/accounts/logout/",
    "/accounts/login/",
    "/portal/sign-out/",
    "/portal/sign-in/",
    "/static/",
    "/get-involved/",
    # Public pages: what CEOP does with personal data is readable before the
    # second step, as before signing in.
    "/privacy-notice/",
    # The API answers for itself: its session authentication refuses an
    # unverified session (ceop_crm.api.authentication), tokens are unaffected.
    "/api/",
)


class SecondFactorMiddleware:
    """A signed-in user who owes the second factor reaches nothing but the
    second-factor pages: verify (with an authenticator) or set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(SECOND_FACTOR_OPEN_PREFIXES) or not (
            second_factor_missing(request)
        ):
            return self.get_response(request)
        from ceop_crm.auth.selectors import second_factor_enrolled

        name = (
            "two_factor_verify"
            if second_factor_enrolled(user=request.user)
            else "two_factor_setup"
        )
        if request.method not in ("GET", "HEAD"):
            return HttpResponseForbidden(
                "Confirm your sign-in with your second factor."
            )
        return redirect_to_login(
            request.get_full_path(), reverse(name), redirect_field_name="next"
        )


def idle_limit_seconds(user) -> int:
    minutes = (
        settings.SESSION_IDLE_MINUTES_STAFF
        if second_factor_obliged(user)
        else settings.SESSION_IDLE_MINUTES_PARTNER
    )
    return minutes * 60


class SessionLimitsMiddleware:
    """Sign out a session idle too long, or older than the absolute lifetime."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            signed_in_at = session.get(SESSION_SIGNED_IN_AT, now)
            last_seen = session.get(SESSION_LAST_SEEN, signed_in_at)
            too_old = now - signed_in_at > settings.SESSION_ABSOLUTE_HOURS * 3600
            idle = now - last_seen > idle_limit_seconds(user)
            if too_old or idle:
                logout(request)
                messages.info(
                    request,
                    "You were signed out after a time without activity."
                    if idle and not too_old
                    else "Your session has ended; sign in again.",
                )
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                login_url = (
                    reverse("portal:login")
                    if request.path.startswith("/portal/")
                    else settings.LOGIN_URL
                )
                return redirect_to_login(request.get_full_path(), login_url)
            if now - last_seen >= LAST_SEEN_GRANULARITY or (
                SESSION_LAST_SEEN not in session
            ):
                session[SESSION_LAST_SEEN] = now
                session.setdefault(SESSION_SIGNED_IN_AT, signed_in_at)
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages shown to a signed-in user hold personal data: never cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(settings.STATIC_URL)
        ) or request.path.startswith(("/admin/", "/accounts/", "/portal/")):
            add_never_cache_headers(response)
            patch_vary_headers(response, ["Cookie"])
        return response
