"""Staff workspace URLs of the priorities app (namespace "priorities")."""

from django.urls import path

from priorities import views

app_name = "priorities"

urlpatterns = [
    path(
        "priority-areas/",
        views.PriorityAreaListView.as_view(),
        name="priority_area_list",
    ),
    path(
        "priority-areas/<int:pk>/",
        views.PriorityAreaDetailView.as_view(),
        name="priority_area_detail",
    ),
]
