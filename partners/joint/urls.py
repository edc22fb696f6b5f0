"""Workspace URLs of joint support (included in the "partners" namespace)."""

from django.urls import path

from partners.joint import views

urlpatterns = [
    path(
        "contributions/<int:pk>/organisations/",
        views.ContributionPartiesView.as_view(),
        name="contribution_parties",
    ),
    path(
        "contributions/<int:pk>/organisations/<int:party_pk>/remove/",
        views.ContributionPartyRemoveView.as_view(),
        name="contribution_party_remove",
    ),
    path(
        "organisations/autocomplete/",
        views.OrganisationAutocompleteView.as_view(),
        name="organisation_autocomplete",
    ),
]
