"""Celery tasks of the partners app (the worker autodiscovers this module)."""

from partners.imports.tasks import import_run_task, imports_resume_task

__all__ = ["import_run_task", "imports_resume_task"]
