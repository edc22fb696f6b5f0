"""Admin of merges: read only (a merge is made in the workspace, by its service)."""

from django.contrib import admin

from partners.dedupe.models import OrganisationMerge
from partners.imports.admin import ReadOnlyAdmin


@admin.register(OrganisationMerge)
class OrganisationMergeAdmin(ReadOnlyAdmin):
    list_display = ["merged_name", "target", "merged_by", "merged_at"]
    list_select_related = ["target", "merged_by"]
    search_fields = ["merged_name", "target__name"]
    ordering = ["-merged_at"]
