"""Admin of merges: read only (a merge is made in the workspace, by its service)."""

from django.contrib import admin
from django.http import HttpRequest

from ceop_crm.admin import BaseAdmin
from partners.dedupe.models import OrganisationMerge


@admin.register(OrganisationMerge)
class OrganisationMergeAdmin(BaseAdmin):
    list_display = ["merged_name", "target", "merged_by", "merged_at"]
    list_select_related = ["target", "merged_by"]
    search_fields = ["merged_name", "target__name"]
    ordering = ["-merged_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
