"""Operations endpoints: /health/live/, /health/ready/ and /metrics."""

from django.urls import path

from ceop_crm.ops import health, metrics

urlpatterns = [
    path("health/live/", health.LivenessView.as_view(), name="health-live"),
    path("health/ready/", health.ReadinessView.as_view(), name="health-ready"),
    path("metrics", metrics.metrics_view, name="metrics"),
]
