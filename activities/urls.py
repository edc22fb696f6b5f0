"""Workspace URLs of activities and tasks (namespace "activities")."""

from django.urls import path

from activities import lists, views

app_name = "activities"

urlpatterns = [
    path("tasks/", lists.TaskListView.as_view(), name="task_list"),
    path("activities/new/", views.ActivityLogView.as_view(), name="activity_log"),
    path(
        "organisations/<int:pk>/activities/new/",
        views.ActivityCreateView.as_view(),
        name="activity_create",
    ),
    path(
        "organisations/<int:pk>/tasks/new/",
        views.TaskCreateView.as_view(),
        name="task_create",
    ),
    path(
        "reviews/<int:pk>/tasks/new/",
        views.ReviewTaskCreateView.as_view(),
        name="review_task_create",
    ),
    path(
        "issues/<int:pk>/tasks/new/",
        views.IssueTaskCreateView.as_view(),
        name="issue_task_create",
    ),
    path(
        "tasks/<int:pk>/complete/",
        views.TaskCompleteView.as_view(),
        name="task_complete",
    ),
    path(
        "tasks/<int:pk>/reassign/",
        views.TaskReassignView.as_view(),
        name="task_reassign",
    ),
]
