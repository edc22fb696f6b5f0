from django.urls import path

from ceop_crm.privacy import views

app_name = "privacy"

urlpatterns = [
    path("data-protection/", views.PersonSearchView.as_view(), name="search"),
    path(
        "data-protection/exports/",
        views.SubjectAccessExportCreateView.as_view(),
        name="export_create",
    ),
    path(
        "data-protection/exports/<int:pk>/",
        views.SubjectAccessExportDetailView.as_view(),
        name="export_detail",
    ),
    path(
        "data-protection/exports/<int:pk>/download/",
        views.SubjectAccessExportDownloadView.as_view(),
        name="export_download",
    ),
    path("data-protection/erase/", views.PersonEraseView.as_view(), name="erase"),
    path(
        "data-protection/erasures/<int:pk>/",
        views.ErasureEventDetailView.as_view(),
        name="erasure_detail",
    ),
]

public_urlpatterns = [
    path("", views.PrivacyNoticeView.as_view(), name="notice"),
]
