"""Sign-in, sign-out and password pages (Django's auth views, styled)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse

from ceop_crm.roles import is_partner_user


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


urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
