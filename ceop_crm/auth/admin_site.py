"""The admin site: only with a verified second factor; its sign-in is ours."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login

from ceop_crm.auth.selectors import second_factor_verified


class AdminSite(admin.AdminSite):
    # No navigation sidebar: it listed every model (28 KB) on every page, a
    # quarter of a change list's time; the index and breadcrumbs lead between
    # lists (ceop_crm/admin_scale.py).
    enable_nav_sidebar = False

    def each_context(self, request):
        # Django builds every page's "available_apps" (each model the user may
        # see, with its permissions) for the sidebar alone, shown or not: not
        # built here. The index and an app's page build their own list.
        request._ceop_sidebar_apps_skipped = True
        try:
            return super().each_context(request)
        finally:
            del request._ceop_sidebar_apps_skipped

    def get_app_list(self, request, app_label=None):
        if getattr(request, "_ceop_sidebar_apps_skipped", False):
            return []
        return super().get_app_list(request, app_label)

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and second_factor_verified(request)

    def login(self, request, extra_context=None):
        # Django admin's own form would sign in with a password alone; the
        # workspace sign-in leads through the second factor.
        return redirect_to_login(
            request.GET.get("next") or request.get_full_path(), settings.LOGIN_URL
        )
