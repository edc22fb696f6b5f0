from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from partners import signals

        signals.connect()
