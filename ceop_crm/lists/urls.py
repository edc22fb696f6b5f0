"""Saved views and bulk actions of every list (namespace "lists"); each list's
page keeps its own app's URL."""

from django.urls import path

from ceop_crm.lists import views

app_name = "lists"

urlpatterns = [
    path(
        "lists/<slug:list_name>/views/",
        views.SavedViewSaveView.as_view(),
        name="saved_view_save",
    ),
    path(
        "lists/<slug:list_name>/views/<int:pk>/delete/",
        views.SavedViewDeleteView.as_view(),
        name="saved_view_delete",
    ),
    path("lists/<slug:list_name>/bulk/", views.ListBulkView.as_view(), name="bulk"),
]
