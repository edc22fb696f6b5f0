from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ceop_crm.search"
    label = "search"
    verbose_name = "Global search"
