"""Admin of email preferences, digests, scheduled reports and refused addresses.

Administrators edit the defaults of each kind of notice and the team's reply-to
mailbox (through its service, with its history); the rest is written
by people in the app or by the worker, and is read here (a refusal can be
deleted once the address is corrected).
"""

from django.contrib import admin
from django.http import HttpRequest

from ceop_crm.admin import BaseAdmin, ReadOnlyHistoryAdmin
from ceop_crm.models import EmailBounce
from planning.email_models import (
    AddressOptOut,
    Digest,
    EmailSettings,
    NotificationDefault,
    NotificationPreference,
    ReportSend,
    ReportSubscription,
)
from planning.services.email_settings import may_change_email_settings


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


@admin.register(EmailSettings)
class EmailSettingsAdmin(ReadOnlyHistoryAdmin):
    """The one row of email settings, saved through its service (who changed it
    is in its history)."""

    fields = ["reply_to_address", "reply_to_name", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]
    list_display = ["__str__", "reply_to_address", "reply_to_name", "updated_at"]
    list_select_related = ["updated_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return (
            super().has_add_permission(request)
            and may_change_email_settings(request.user)
            and not EmailSettings.objects.exists()
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(
            request, obj
        ) and may_change_email_settings(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # an empty address is the way back to the default

    def save_model(self, request: HttpRequest, obj, form, change) -> None:
        from planning.services.email_settings import email_settings_set

        saved = email_settings_set(
            actor=request.user,
            reply_to_address=obj.reply_to_address,
            reply_to_name=obj.reply_to_name,
        )
        obj.pk = saved.pk


@admin.register(AddressOptOut)
class AddressOptOutAdmin(_ReadOnlyAdmin):
    """Kinds of notice an address without an account switched off (its own choice)."""

    list_display = ["address", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["=address"]
