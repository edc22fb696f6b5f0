from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Data protection: person search, subject access, erasure, retention, read log."""

    name = "ceop_crm.privacy"
    label = "privacy"
    verbose_name = "Data protection"
    default_auto_field = "django.db.models.BigAutoField"
