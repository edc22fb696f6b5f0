"""The benchmark's baseline pages (see ceop_crm.bench_views)."""

from django.urls import path

from ceop_crm import bench_api, bench_views

app_name = "bench"
urlpatterns = [
    path("trivial/", bench_views.TrivialView.as_view(), name="trivial"),
    path("orm/", bench_views.OrmTemplateView.as_view(), name="orm"),
    path(
        "api/organisations/",
        bench_api.PlainOrganisationListApi.as_view(),
        name="api_organisations",
    ),
]
