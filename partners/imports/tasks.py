"""Celery tasks of imports: ids in, one service, safe to run twice."""

from celery import shared_task

from ceop_crm.mail import task_enqueue
from partners.imports.services import import_job_run, import_jobs_resume


@shared_task(
    name="partners.import_run",
    acks_late=True,
    soft_time_limit=55 * 60,
    time_limit=60 * 60,
)
def import_run_task(job_id: int) -> str:
    """Run a confirmed import (rows already done are not applied again)."""
    job = import_job_run(job_id=job_id)
    return job.status if job else "taken"


@shared_task(name="partners.imports_resume", acks_late=True)
def imports_resume_task() -> int:
    """Publish imports whose message was lost or whose worker died."""
    ids = import_jobs_resume()
    for job_id in ids:
        task_enqueue(import_run_task, job_id)
    return len(ids)
