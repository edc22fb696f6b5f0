"""Writes of the operations room: a periodic task records each run."""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from ceop_crm.models import TaskRun

# Runs kept for the metrics and for an operator looking back.
TASK_RUNS_KEPT = timedelta(days=90)


@transaction.atomic
def task_run_record(
    *, name: str, started_at: datetime, finished_at: datetime, summary: dict[str, Any]
) -> TaskRun:
    """Record a finished run and forget runs older than ``TASK_RUNS_KEPT``."""
    run = TaskRun(
        name=name, started_at=started_at, finished_at=finished_at, summary=summary
    )
    run.full_clean()
    run.save()
    TaskRun.objects.filter(
        name=name, finished_at__lt=finished_at - TASK_RUNS_KEPT
    ).delete()
    return run
