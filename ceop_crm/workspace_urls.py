"""The relationship manager's workspace at /: includes each app's staff URLs.

Namespaces: "workspace" (dashboard, reports), "partners", "tiers", "planning",
"priorities", "privacy" (the data protection room: its own role). Every view
requires a role (ceop_crm.access mixins).
"""

from django.urls import include, path

from partners.downloads import views as downloads
from partners.views import dashboard, reports

workspace_patterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("reports/", reports.ReportListView.as_view(), name="report_list"),
    path(
        "reports/downloads/<int:pk>/",
        downloads.ReportDownloadDetailView.as_view(),
        name="report_download_detail",
    ),
    path(
        "reports/downloads/<int:pk>/file",
        downloads.ReportDownloadFileView.as_view(),
        name="report_download_file",
    ),
    path("reports/<slug:slug>/", reports.ReportView.as_view(), name="report"),
    path(
        "reports/<slug:slug>/download.<str:fmt>",
        downloads.ReportDownloadView.as_view(),
        name="report_download",
    ),
]

urlpatterns = [
    path("", include((workspace_patterns, "workspace"))),
    path("", include("partners.urls")),
    path("", include("tiers.urls")),
    path("", include("planning.urls")),
    path("", include("priorities.urls")),
    path("", include("partners.portal.staff_urls")),
    path("", include("ceop_crm.privacy.urls")),
    path("", include("activities.urls")),
    path("", include("ceop_crm.search.urls")),
    path("", include("ceop_crm.lists.urls")),
]
