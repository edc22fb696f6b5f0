"""Admin of joint support: read only; organisations are added and removed in the
workspace (partners.joint.services), whose rules admin would skip."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ceop_crm.admin import WorkspaceOnlyAdmin, WorkspaceOnlyInline
from partners.joint.models import ContributionParty


class ContributionPartyInline(WorkspaceOnlyInline):
    model = ContributionParty
    fields = ["organisation", "added_by", "added_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("organisation", "added_by")


@admin.register(ContributionParty)
class ContributionPartyAdmin(WorkspaceOnlyAdmin):
    workspace_action = (
        "partners:contribution_parties",
        "contribution_id",
        "Open to add or remove organisations",
    )
    list_display = ["organisation", "contribution", "added_by", "added_at"]
    list_select_related = ["organisation", "contribution", "added_by"]
    search_fields = ["organisation__name", "contribution__title"]
    ordering = ["-added_at"]
