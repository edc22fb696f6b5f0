"""Admin of the data protection room: periods and notice edited, logs only read."""

from django.contrib import admin

from ceop_crm.admin import BaseAdmin
from ceop_crm.admin_scale import LargeTableAdminMixin
from ceop_crm.privacy.models import (
    ErasureEvent,
    PrivacyNotice,
    ReadLogEntry,
    RetentionPeriod,
    SubjectAccessExport,
)
from ceop_crm.roles import is_data_protection_officer


class DataProtectionAdminMixin:
    """Only the data protection officer (with staff status) and administrators
    see these pages, whatever model permissions someone else was given."""

    def has_module_permission(self, request) -> bool:
        return is_data_protection_officer(
            request.user
        ) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_data_protection_officer(request.user) and super().has_view_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None) -> bool:
        return is_data_protection_officer(
            request.user
        ) and super().has_change_permission(request, obj)


class ReadOnlyAdminMixin(DataProtectionAdminMixin):
    """A log: nobody adds, changes or deletes its entries here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RetentionPeriod)
class RetentionPeriodAdmin(DataProtectionAdminMixin, BaseAdmin):
    list_display = ["kind", "days", "updated_at"]
    fields = ["kind", "days", "description"]

    def get_readonly_fields(self, request, obj=None):
        return ["kind"] if obj is not None else []

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(DataProtectionAdminMixin, BaseAdmin):
    list_display = ["title", "updated_at"]
    fields = ["title", "body"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReadLogEntry)
class ReadLogEntryAdmin(ReadOnlyAdminMixin, LargeTableAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "what", "ip_address"]
    list_filter = ["kind", "created_at"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    readonly_fields = [
        "created_at",
        "user",
        "kind",
        "what",
        "query",
        "path",
        "ip_address",
        "records_read",
    ]
    fields = readonly_fields

    @admin.display(description="Records read")
    def records_read(self, obj) -> str:
        return ", ".join(str(r) for r in obj.records.all()[:200])


@admin.register(ErasureEvent)
class ErasureEventAdmin(ReadOnlyAdminMixin, LargeTableAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "source", "actor", "reason"]
    list_filter = ["source"]
    readonly_fields = ["created_at", "source", "actor", "reason", "counts"]
    fields = readonly_fields


@admin.register(SubjectAccessExport)
class SubjectAccessExportAdmin(
    ReadOnlyAdminMixin, LargeTableAdminMixin, admin.ModelAdmin
):
    list_display = ["pk", "created_at", "requested_by", "status", "progress"]
    list_filter = ["status"]
    readonly_fields = [
        "created_at",
        "requested_by",
        "status",
        "progress",
        "started_at",
        "finished_at",
        "records",
        "error",
    ]
    fields = readonly_fields
