"""The retention schedule: personal data goes when its kind's period has run.

Each kind selects its rows by state (so a run after an outage catches up and a
second run finds nothing) and is applied in bounded batches. Periods are rows
of ``RetentionPeriod``, editable in admin; ``DEFAULT_DAYS`` (also loaded by the
data migration) stands in for a kind whose row was removed.

Refusals by the mail server and address opt-outs have no kind: an opt-out must
outlast any period (deleting it would resume the notices it stopped), a refusal
lasts until it is cleared (``email_bounce_clear``); erasure deletes both.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ceop_crm.models import OutboundEmail
from ceop_crm.privacy.models import (
    ErasedRecord,
    ErasureEvent,
    ReadLogEntry,
    RetentionKind,
    RetentionPeriod,
    SubjectAccessExport,
)
from ceop_crm.privacy.services.erasure import records_anonymise
from ceop_crm.privacy.sources import ERASED, personal_data_source
from partners.reports import report_figures_invalidate
from tiers.selectors import organisation_list_relationship_ended_before

BATCH_SIZE = 500

DEFAULT_DAYS = {
    RetentionKind.ENDED_RELATIONSHIP_CONTACTS: 2 * 365,
    RetentionKind.DECLINED_PROPOSAL_SENDERS: 365,
    RetentionKind.SENT_EMAIL_BODIES: 90,
    RetentionKind.READ_REMINDERS: 180,
    RetentionKind.ERASED_HISTORY: 30,
    RetentionKind.FAILED_SIGN_INS: 90,
    RetentionKind.READ_LOG: 2 * 365,
    RetentionKind.SUBJECT_ACCESS_EXPORTS: 30,
}


def retention_days() -> dict[str, int]:
    days = {str(kind): value for kind, value in DEFAULT_DAYS.items()}
    days.update(RetentionPeriod.objects.values_list("kind", "days"))
    return days


# --- What each kind selects (ids) and does with a batch -----------------------


def _contacts(cutoff: datetime) -> QuerySet:
    source = personal_data_source("contact")
    ended = organisation_list_relationship_ended_before(day=cutoff.date())
    return source.model.objects.filter(organisation__in=ended.values("pk")).filter(
        ~Q(name=source.erased_name) | ~Q(email="") | ~Q(phone="") | ~Q(job_title="")
    )


def _contacts_apply(ids: list[int], event: ErasureEvent) -> int:
    return records_anonymise(
        source=personal_data_source("contact"), ids=ids, event=event
    )


def _proposals(cutoff: datetime) -> QuerySet:
    source = personal_data_source("proposal_sender")
    return source.model.objects.filter(status="declined", decided_at__lt=cutoff).filter(
        (~Q(contact_name="") & ~Q(contact_name=ERASED))
        | ~Q(contact_email="")
        | Q(submitted_by__isnull=False)
    )


def _proposals_apply(ids: list[int], event: ErasureEvent) -> int:
    source = personal_data_source("proposal_sender")
    values = {"contact_name": ERASED, "contact_email": "", "submitted_by": None}
    source.history_model.objects.filter(id__in=ids).update(**values)
    return source.model.objects.filter(pk__in=ids).update(**values)


def _emails(cutoff: datetime) -> QuerySet:
    return OutboundEmail.objects.filter(sent_at__lt=cutoff).filter(
        ~Q(body_text="") | ~Q(body_html="") | ~Q(context={})
    )


def _emails_apply(ids: list[int], event: ErasureEvent) -> int:
    return OutboundEmail.objects.filter(pk__in=ids).update(
        body_text="", body_html="", context={}
    )


def _reminders(cutoff: datetime) -> QuerySet:
    return personal_data_source("reminder").model.objects.filter(read_at__lt=cutoff)


def _erased_history(cutoff: datetime) -> QuerySet:
    return ErasedRecord.objects.filter(
        history_purged_at=None, event__created_at__lt=cutoff
    )


def _erased_history_apply(ids: list[int], event: ErasureEvent) -> int:
    from django.apps import apps

    records = list(ErasedRecord.objects.filter(pk__in=ids))
    deleted = 0
    by_model: dict[str, list[int]] = {}
    for record in records:
        by_model.setdefault(record.model, []).append(record.object_id)
    for label, object_ids in by_model.items():
        history = apps.get_model(label).history.model
        deleted += history.objects.filter(id__in=object_ids).delete()[0]
    ErasedRecord.objects.filter(pk__in=ids).update(history_purged_at=timezone.now())
    return deleted


def _failed_sign_ins(cutoff: datetime) -> QuerySet:
    return AccessAttempt.objects.filter(attempt_time__lt=cutoff)


def _failure_log(cutoff: datetime) -> QuerySet:
    return AccessFailureLog.objects.filter(attempt_time__lt=cutoff)


def _read_log(cutoff: datetime) -> QuerySet:
    return ReadLogEntry.objects.filter(created_at__lt=cutoff)


def _exports(cutoff: datetime) -> QuerySet:
    return SubjectAccessExport.objects.filter(created_at__lt=cutoff)


def _exports_apply(ids: list[int], event: ErasureEvent) -> int:
    exports = list(SubjectAccessExport.objects.filter(pk__in=ids))
    for export in exports:
        if export.file:
            export.file.delete(save=False)
    return SubjectAccessExport.objects.filter(pk__in=ids).delete()[0]


def _plain_delete(model):
    def apply(ids: list[int], event: ErasureEvent) -> int:
        return model.objects.filter(pk__in=ids).delete()[0]

    return apply


@dataclass(frozen=True)
class RetentionRule:
    kind: str
    label: str  # plural: what is counted
    select: Callable[[datetime], QuerySet]
    apply: Callable[[list[int], ErasureEvent], int]
    action: str


RULES = (
    RetentionRule(
        RetentionKind.ENDED_RELATIONSHIP_CONTACTS,
        "contacts",
        _contacts,
        _contacts_apply,
        "anonymise",
    ),
    RetentionRule(
        RetentionKind.DECLINED_PROPOSAL_SENDERS,
        "declined proposals",
        _proposals,
        _proposals_apply,
        "clear the sender of",
    ),
    RetentionRule(
        RetentionKind.SENT_EMAIL_BODIES,
        "sent emails",
        _emails,
        _emails_apply,
        "clear the body of",
    ),
    RetentionRule(
        RetentionKind.READ_REMINDERS,
        "read reminders",
        _reminders,
        lambda ids, event: _reminders_delete(ids),
        "delete",
    ),
    RetentionRule(
        RetentionKind.ERASED_HISTORY,
        "versions of erased records",
        _erased_history,
        _erased_history_apply,
        "delete",
    ),
    RetentionRule(
        RetentionKind.FAILED_SIGN_INS,
        "failed sign-in records",
        _failed_sign_ins,
        _plain_delete(AccessAttempt),
        "delete",
    ),
    RetentionRule(
        RetentionKind.FAILED_SIGN_INS,
        "failed sign-in log entries",
        _failure_log,
        _plain_delete(AccessFailureLog),
        "delete",
    ),
    RetentionRule(
        RetentionKind.READ_LOG,
        "read log entries",
        _read_log,
        _plain_delete(ReadLogEntry),
        "delete",
    ),
    RetentionRule(
        RetentionKind.SUBJECT_ACCESS_EXPORTS,
        "subject access exports",
        _exports,
        _exports_apply,
        "delete",
    ),
)


def _reminders_delete(ids: list[int]) -> int:
    return personal_data_source("reminder").model.objects.filter(pk__in=ids).delete()[0]


@dataclass
class RetentionResult:
    kind: str
    label: str
    action: str
    days: int
    cutoff: datetime
    count: int
    sample_ids: list[int]


def retention_due(
    *, now: datetime | None = None, sample: int = 20
) -> list[RetentionResult]:
    """What the schedule would remove or anonymise now (nothing is changed)."""
    now = now or timezone.now()
    days = retention_days()
    results = []
    for rule in RULES:
        cutoff = now - timedelta(days=days[str(rule.kind)])
        queryset = rule.select(cutoff)
        results.append(
            RetentionResult(
                kind=str(rule.kind),
                label=rule.label,
                action=rule.action,
                days=days[str(rule.kind)],
                cutoff=cutoff,
                count=queryset.count(),
                sample_ids=list(
                    queryset.order_by("pk").values_list("pk", flat=True)[:sample]
                ),
            )
        )
    return results


def retention_apply(
    *, now: datetime | None = None, batch_size: int = BATCH_SIZE
) -> dict[str, int]:
    """Apply every kind's period, batch by batch; rows handled per rule."""
    now = now or timezone.now()
    days = retention_days()
    done: dict[str, int] = {}
    event = None
    for rule in RULES:
        cutoff = now - timedelta(days=days[str(rule.kind)])
        total = 0
        while True:
            with transaction.atomic():
                ids = list(
                    rule.select(cutoff)
                    .order_by("pk")
                    .select_for_update(skip_locked=True, of=("self",))
                    .values_list("pk", flat=True)[:batch_size]
                )
                if not ids:
                    break
                if event is None:
                    event = ErasureEvent.objects.create(
                        created_at=now,
                        source=ErasureEvent.Source.RETENTION,
                        reason="Retention schedule",
                    )
                rule.apply(ids, event)
                # UPDATEs send no signal: what is shared between requests
                # (partners.reports.figures) is read afresh once this commits.
                transaction.on_commit(report_figures_invalidate)
                total += len(ids)
        done[f"{rule.kind}:{rule.label}"] = total
    if event is not None:
        ErasureEvent.objects.filter(pk=event.pk).update(counts=done)
    return done
