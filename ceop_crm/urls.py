import posixpath

from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.urls import include, path, re_path
from django.views.static import serve

from ceop_crm.privacy import urls as privacy_urls

urlpatterns = [
    path("", include("ceop_crm.ops.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("ceop_crm.auth.urls")),
    path("api/", include("ceop_crm.api_urls")),
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


def serve_media(request, path: str):
    """Development only: uploaded files, never MEDIA_ROOT/private/ (subject
    access exports), which only their own download view serves."""
    normalised = posixpath.normpath(path).lstrip("/")
    if normalised == "private" or normalised.startswith("private/"):
        raise Http404("Not a public file.")
    return serve(request, normalised, document_root=settings.MEDIA_ROOT)


def media_patterns() -> list:
    return [re_path(r"^media/(?P<path>.*)$", serve_media)]


if settings.DEBUG:
    urlpatterns += media_patterns()
