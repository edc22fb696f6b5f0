"""Prometheus metrics: django-prometheus counts requests, responses and
latencies per view; this module adds what the partnership service itself must
show an operator (the reminder sweep's last run and the outbox backlog), read
from the database at scrape time so every web process reports the same figures.

Under gunicorn with several workers, set ``PROMETHEUS_MULTIPROC_DIR`` so the
request metrics of every worker are summed (see gunicorn.conf.py).
"""

import os
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from ceop_crm.http import client_address
from ceop_crm.ops import selectors


class PartnershipCollector:
    """The sweep's last run and the outbox, one query each per scrape."""

    def collect(self):
        last = selectors.task_run_last(name=selectors.SWEEP)
        duration = GaugeMetricFamily(
            "ceop_reminder_sweep_duration_seconds",
            "How long the last reminder sweep took.",
        )
        finished = GaugeMetricFamily(
            "ceop_reminder_sweep_last_finished_timestamp_seconds",
            "When the last reminder sweep finished (Unix time).",
        )
        if last is not None:
            duration.add_metric([], last.duration_seconds)
            finished.add_metric([], last.finished_at.timestamp())
        yield duration
        yield finished
        backlog = selectors.outbox_backlog()
        outbox = GaugeMetricFamily(
            "ceop_outbox_emails",
            "Emails in the outbox not yet sent, by state.",
            labels=["state"],
        )
        for state, count in backlog.items():
            outbox.add_metric([state], count)
        yield outbox


def _request_registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return REGISTRY


def _may_scrape(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ")
        return secrets.compare_digest(given.encode(), token.encode())
    return client_address(request) in settings.METRICS_ALLOWED_ADDRESSES


def metrics_view(request: HttpRequest) -> HttpResponse:
    """The exposition: with METRICS_TOKEN set, only a scraper that sends it as
    a Bearer token; otherwise only the listed addresses (loopback by default)."""
    if not _may_scrape(request):
        raise PermissionDenied
    partnership = CollectorRegistry(auto_describe=False)
    partnership.register(PartnershipCollector())
    body = generate_latest(_request_registry()) + generate_latest(partnership)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
