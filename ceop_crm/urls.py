from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from ceop_crm.privacy import urls as privacy_urls

urlpatterns = [
    path("", include("ceop_crm.ops.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("ceop_crm.auth.urls")),
    path("api/", include("ceop_crm.api_urls")),
    path("", include("planning.email_urls")),
    path("portal/", include("partners.portal.urls")),
    path("get-involved/", include("partners.public_urls")),
    path(
        "privacy-notice/",
        include((privacy_urls.public_urlpatterns, "privacy_notice")),
    ),
    path("", include("planning.notification_urls")),
    path("", include("ceop_crm.workspace_urls")),
]

if settings.CEOP_BENCH_VIEWS:  # baselines of `make bench` only
    urlpatterns.insert(0, path("bench/", include("ceop_crm.bench_urls")))

# Uploaded files (signed MoUs) are never served from MEDIA_URL, in development
# either: only through the scoped download views, which check who asks.

handler400 = "ceop_crm.errors.bad_request"
handler403 = "ceop_crm.errors.permission_denied"
handler404 = "ceop_crm.errors.page_not_found"
