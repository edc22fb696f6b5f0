from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ceop_crm.api"
    label = "api"
    verbose_name = "API access"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the OpenAPI description of the token authentication.
        from ceop_crm.api import schema  # noqa: F401
