from django.apps import AppConfig


class ListsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ceop_crm.lists"
    label = "lists"
    verbose_name = "Saved list views"
