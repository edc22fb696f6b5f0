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
    list_filter = ["kind", "occurred_at"]
    list_select_related = ["organisation", "recorded_by"]
    # Indexed columns only (tests/admin_site/test_scale.py); no date hierarchy.
    search_fields = ["organisation__name"]


@admin.register(Task)
class TaskAdmin(WorkspaceOnlyAdmin):
    workspace_action = ("activities:task_reassign", "pk", "Open to reassign it")
    list_display = ["title", "organisation", "assignee", "due_on", "status"]
    list_filter = ["status", "due_on"]
    list_select_related = ["organisation", "assignee"]
    search_fields = ["organisation__name"]
