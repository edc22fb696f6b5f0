"""Admin for what CEOP wants: objectives, priority areas, principles, threats."""

from django.contrib import admin

from ceop_crm.admin import BaseAdmin, ReadOnlyHistoryAdmin
from priorities.models import (
    CentrePlanObjective,
    Objective,
    Principle,
    PriorityArea,
    Threat,
)

# --- Priorities ----------------------------------------------------------------


@admin.register(Objective)
class ObjectiveAdmin(BaseAdmin):
    list_display = ["code", "description", "order"]
    search_fields = ["code"]
    ordering = ["order"]


@admin.register(PriorityArea)
class PriorityAreaAdmin(ReadOnlyHistoryAdmin):
    list_display = ["number", "title", "objective_codes", "is_current", "updated_at"]
    list_display_links = ["number", "title"]
    list_filter = ["is_current", "objectives"]
    search_fields = ["title"]
    filter_horizontal = ["objectives"]
    ordering = ["number"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("objectives")

    @admin.display(description="objectives")
    def objective_codes(self, obj: PriorityArea) -> str:
        return ", ".join(objective.code for objective in obj.objectives.all())


@admin.register(Principle)
class PrincipleAdmin(BaseAdmin):
    list_display = ["order", "title"]
    list_display_links = ["order", "title"]
    search_fields = ["title"]
    ordering = ["order"]


@admin.register(CentrePlanObjective)
class CentrePlanObjectiveAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "title", "planning_year", "objective"]
    list_display_links = ["code", "title"]
    list_filter = ["planning_year", "objective"]
    list_select_related = ["planning_year", "objective"]
    search_fields = ["code", "title"]
    ordering = ["-planning_year__start", "code"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Threat)
class ThreatAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "planning_year", "emerged_in_year"]
    list_filter = ["planning_year", "emerged_in_year"]
    list_select_related = ["planning_year"]
    search_fields = ["title"]
    ordering = ["-planning_year__start", "title"]
    readonly_fields = ["created_at", "updated_at"]
