"""Celery tasks of report downloads: ids in, claimed by state, safe to run twice."""

from celery import shared_task

from partners.downloads.services import report_download_build, report_downloads_sweep


@shared_task(
    name="partners.report_download_build",
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
)
def report_download_build_task(download_id: int) -> bool:
    """Build one report download into its private file."""
    return report_download_build(download_id=download_id)


@shared_task(name="partners.report_downloads_sweep", acks_late=True)
def report_downloads_sweep_task() -> dict[str, int]:
    """Build downloads whose message was lost; delete expired files."""
    return report_downloads_sweep()
