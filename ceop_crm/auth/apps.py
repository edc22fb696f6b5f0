from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AuthConfig(AppConfig):
    default = True
    name = "ceop_crm.auth"
    label = "ceop_auth"
    verbose_name = "Sign-in and sessions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ceop_crm.auth import signals  # noqa: F401


class AdminConfig(admin_apps.AdminConfig):
    """Django admin on a site that needs a verified second factor."""

    default_site = "ceop_crm.auth.admin_site.AdminSite"
