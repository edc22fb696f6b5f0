"""Admin of imports: read only (an import is made and run in the workspace)."""

from django.contrib import admin
from django.http import HttpRequest

from ceop_crm.admin import BaseAdmin
from partners.imports.models import ImportColumnMapping, ImportJob, ImportRow


class ReadOnlyAdmin(BaseAdmin):
    """Pages to read; rows are written by the services alone."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "created_by", "status", "total", "created", "failed"]
    list_filter = ["status"]
    list_select_related = ["created_by"]
    search_fields = ["file_name", "created_by__username"]
    ordering = ["-created_at"]


@admin.register(ImportRow)
class ImportRowAdmin(ReadOnlyAdmin):
    list_display = ["job", "number", "outcome", "organisation", "message"]
    list_filter = ["outcome"]
    list_select_related = ["job", "organisation"]
    search_fields = ["organisation__name"]
    ordering = ["job", "number"]


@admin.register(ImportColumnMapping)
class ImportColumnMappingAdmin(ReadOnlyAdmin):
    list_display = ["user", "updated_at"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
