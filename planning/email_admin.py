"""Admin of email preferences, digests, scheduled reports and refused addresses.

Administrators edit the defaults of each kind of notice; the rest is written
by people in the app or by the worker, and is read here (a refusal can be
deleted once the address is corrected).
"""

from django.contrib import admin
from django.http import HttpRequest

from ceop_crm.admin import BaseAdmin
from ceop_crm.models import EmailBounce
from planning.email_models import (
    Digest,
    NotificationDefault,
    NotificationPreference,
    ReportSend,
    ReportSubscription,
)


class _ReadOnlyAdmin(BaseAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(NotificationDefault)
class NotificationDefaultAdmin(BaseAdmin):
    list_display = ["kind", "audience", "delivery"]
    list_filter = ["audience", "delivery"]
    ordering = ["audience", "kind"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(_ReadOnlyAdmin):
    list_display = ["user", "kind", "delivery", "updated_at"]
    list_filter = ["kind", "delivery"]
    list_select_related = ["user"]
    search_fields = ["user__username", "=user__email"]


@admin.register(Digest)
class DigestAdmin(_ReadOnlyAdmin):
    list_display = ["recipient", "day", "created_at", "email"]
    list_select_related = ["recipient", "email"]
    search_fields = ["recipient__username", "=recipient__email"]
    list_filter = ["day"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # the row is what stops a second digest that day


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(_ReadOnlyAdmin):
    list_display = ["report", "frequency", "user", "group", "created_by", "created_at"]
    list_filter = ["frequency"]
    list_select_related = ["user", "group", "created_by"]
    search_fields = ["user__username", "group__name"]


@admin.register(ReportSend)
class ReportSendAdmin(_ReadOnlyAdmin):
    list_display = ["subscription", "period_start", "period_end", "created_at"]
    list_select_related = [
        "subscription__user",
        "subscription__group",
    ]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # the row is what stops a second send of the period


@admin.register(EmailBounce)
class EmailBounceAdmin(_ReadOnlyAdmin):
    list_display = ["address", "code", "permanent", "count", "first_at", "last_at"]
    list_filter = ["permanent"]
