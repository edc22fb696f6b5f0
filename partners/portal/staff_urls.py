"""Staff pages of the portal, for the workspace to include, e.g.

    path("", include("partners.portal.staff_urls")),

in ceop_crm/workspace_urls.py, which gives /organisations/<pk>/portal-access/.
"""

from django.urls import path

from partners.portal import staff_views

app_name = "portal_staff"
urlpatterns = [
    path(
        "organisations/<int:pk>/portal-access/",
        staff_views.PortalInviteView.as_view(),
        name="invite",
    ),
    path(
        "organisations/<int:pk>/portal-access/<int:membership_pk>/revoke/",
        staff_views.PortalAccessRevokeView.as_view(),
        name="revoke",
    ),
]
