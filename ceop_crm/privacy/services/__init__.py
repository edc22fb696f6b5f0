"""Writes of the data protection room, by subject (re-exported here)."""

from ceop_crm.privacy.services.erasure import (
    ErasurePlan,
    person_erase,
    person_erasure_plan,
    redact_everywhere,
)
from ceop_crm.privacy.services.exports import (
    subject_access_export_build,
    subject_access_export_downloaded,
    subject_access_export_request,
    subject_access_exports_sweep,
)
from ceop_crm.privacy.services.read_log import contacts_read_log, read_log_record
from ceop_crm.privacy.services.retention import (
    retention_apply,
    retention_due,
)

__all__ = [
    "ErasurePlan",
    "contacts_read_log",
    "person_erase",
    "person_erasure_plan",
    "read_log_record",
    "redact_everywhere",
    "retention_apply",
    "retention_due",
    "subject_access_export_build",
    "subject_access_export_downloaded",
    "subject_access_export_request",
    "subject_access_exports_sweep",
]
