import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceop_crm.settings.local")

app = Celery("ceop_crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
