"""Reads of email preferences and scheduled reports."""

from django.db.models import QuerySet

from planning.models import ReportSubscription


def report_subscription_list() -> QuerySet[ReportSubscription]:
    return ReportSubscription.objects.select_related(
        "user", "group", "created_by"
    ).order_by("report", "frequency", "pk")
