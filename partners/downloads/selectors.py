"""Reads of report downloads: a user only ever sees their own."""

from django.conf import settings

from partners.downloads.models import ReportDownload


def report_download_threshold() -> int:
    """Above this many rows a download is built by the worker, not the request."""
    return settings.REPORT_DOWNLOAD_BACKGROUND_ROWS


def report_download_get(*, pk: int, user) -> ReportDownload:
    """The user's own download (DoesNotExist for anybody else's)."""
    return ReportDownload.objects.get(pk=pk, requested_by=user)
