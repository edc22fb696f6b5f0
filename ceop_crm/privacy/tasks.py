"""Celery tasks of the data protection room: exports and the retention schedule.

Tasks take ids, claim their work by state, and may run twice with no harm.
"""

import logging

from celery import shared_task

from ceop_crm.privacy.services import (
    retention_apply,
    subject_access_export_build,
    subject_access_exports_sweep,
)

logger = logging.getLogger(__name__)


@shared_task(
    name="privacy.subject_access_export_build",
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
)
def subject_access_export_build_task(export_id: int) -> bool:
    return subject_access_export_build(export_id=export_id)


@shared_task(name="privacy.subject_access_exports_sweep", acks_late=True)
def subject_access_exports_sweep_task() -> int:
    """Build exports whose message the broker lost or whose worker died."""
    return subject_access_exports_sweep()


@shared_task(
    name="privacy.retention_apply",
    acks_late=True,
    soft_time_limit=50 * 60,
    time_limit=55 * 60,
)
def retention_apply_task() -> dict[str, int]:
    """The daily retention run, in batches."""
    done = retention_apply()
    logger.info("Retention schedule applied: %s", done)
    return done
