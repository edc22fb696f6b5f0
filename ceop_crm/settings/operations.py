"""Settings for running the service: logs with the request id, health and metrics.

Read by base.py (``from ceop_crm.settings.operations import *``).
"""

from datetime import timedelta

import environ
from django_guid.integrations import CeleryIntegration

env = environ.Env()

# Logs: every line carries the request id (django-guid: the X-Request-ID header
# when it is a valid UUID, else a new one, returned in the response), and Celery
# tasks queued by a request log it too. JSON in production (DJANGO_LOG_FORMAT).
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": True,
    "INTEGRATIONS": [
        CeleryIntegration(use_django_logging=True, log_parent=True),
    ],
}
LOG_FORMAT = env("DJANGO_LOG_FORMAT", default="text")
LOG_LEVEL = env("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "django_guid.log_filters.CorrelationId"},
        "celery_ids": {
            "()": "django_guid.integrations.celery.log_filters.CeleryTracing"
        },
    },
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] "
            "%(message)s"
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s "
            "%(correlation_id)s %(celery_parent_id)s %(celery_current_id)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "correlation_id": "request_id",
            },
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "celery_ids"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # One line per request/task is enough; the library logs each id it sets.
        "django_guid": {"level": "WARNING"},
    },
}

# Operations: readiness fails when the reminder sweep has not finished for this
# long; /metrics answers a scraper with METRICS_TOKEN (Bearer) or, without a
# token, only these addresses.
HEALTH_SWEEP_MAX_AGE = timedelta(hours=env.int("HEALTH_SWEEP_MAX_AGE_HOURS", default=2))
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_ADDRESSES = env.list(
    "METRICS_ALLOWED_ADDRESSES", default=["127.0.0.1", "::1"]
)
# Probes over plain HTTP from inside the container network are not redirected.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
