"""Admin of activities and tasks: read only with their history.

They are recorded, completed and reassigned in the workspace and the API,
through the services and their rules (who may, same organisation, assignee a
manager); admin shows them and who changed what, and deletes nothing.
"""

from django.contrib import admin

from activities.models import Activity, Task
from ceop_crm.admin import WorkspaceOnlyAdmin


@admin.register(Activity)
class ActivityAdmin(WorkspaceOnlyAdmin):
    workspace_action = (
        "partners:organisation_detail",
        "organisation_id",
        "Open the organisation's activities",
    )
    list_display = ["occurred_at", "kind", "organisation", "recorded_by"]
    list_filter = ["kind"]
    list_select_related = ["organisation", "recorded_by"]
    search_fields = ["summary", "organisation__name"]
    date_hierarchy = "occurred_at"


@admin.register(Task)
class TaskAdmin(WorkspaceOnlyAdmin):
    workspace_action = ("activities:task_reassign", "pk", "Open to reassign it")
    list_display = ["title", "organisation", "assignee", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["organisation", "assignee"]
    search_fields = ["title", "organisation__name"]
    date_hierarchy = "due_on"
