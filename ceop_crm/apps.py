from django.apps import AppConfig


class CeopCrmConfig(AppConfig):
    name = "ceop_crm"
    verbose_name = "CEOP Partner"
