"""Admin of report downloads: read only (asked for in the workspace, built by the worker)."""

from django.contrib import admin

from partners.downloads.models import ReportDownload
from partners.imports.admin import ReadOnlyAdmin


@admin.register(ReportDownload)
class ReportDownloadAdmin(ReadOnlyAdmin):
    list_display = ["slug", "fmt", "requested_by", "status", "created_at", "rows_total"]
    list_filter = ["status", "fmt", "created_at"]
    list_select_related = ["requested_by"]
    search_fields = ["requested_by__username"]
    # The file is private: admin shows its name, never a link to it.
    exclude = ["file"]
    ordering = ["-created_at", "-pk"]
