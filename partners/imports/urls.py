"""Workspace URLs of imports (in the "partners" namespace)."""

from django.urls import path

from partners.imports import views

urlpatterns = [
    path("imports/", views.ImportListView.as_view(), name="import_list"),
    path(
        "imports/<int:pk>/columns/",
        views.ImportMappingView.as_view(),
        name="import_mapping",
    ),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path(
        "imports/<int:pk>/confirm/",
        views.ImportConfirmView.as_view(),
        name="import_confirm",
    ),
    path(
        "imports/<int:pk>/progress/",
        views.ImportProgressView.as_view(),
        name="import_progress",
    ),
    path(
        "imports/<int:pk>/result/",
        views.ImportResultView.as_view(),
        name="import_result",
    ),
    path(
        "imports/<int:pk>/failed-rows.xlsx",
        views.ImportFailedRowsView.as_view(),
        name="import_failed_rows",
    ),
]
