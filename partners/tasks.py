"""Celery tasks of the partners app (the worker autodiscovers this module)."""

from partners.downloads.tasks import (
    report_download_build_task,
    report_downloads_sweep_task,
)
from partners.imports.tasks import import_run_task, imports_resume_task

__all__ = [
    "import_run_task",
    "imports_resume_task",
    "report_download_build_task",
    "report_downloads_sweep_task",
]
