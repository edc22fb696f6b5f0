"""Workspace URLs of duplicates (in the "partners" namespace)."""

from django.urls import path

from partners.dedupe import views

urlpatterns = [
    path(
        "organisations/duplicates/",
        views.DuplicatePairsView.as_view(),
        name="duplicate_pairs",
    ),
    path(
        "organisations/<int:pk>/merge/",
        views.OrganisationMergeView.as_view(),
        name="organisation_merge",
    ),
]
