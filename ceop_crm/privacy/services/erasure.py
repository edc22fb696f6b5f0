"""Erasure: the person anonymised everywhere, live rows and every history version.

What is not personal stays: a contact row (now "Erased contact") still counts as
a contact of its organisation, proposals and emails still count, reports add up
as before. Three passes:

1. the places of ``personal_data_sources``: the fields naming the person are
   replaced (a whole row about them: every personal field, in every version),
   or the row deleted where it exists only for the address
   (``delete_on_erasure``: a refusal by the mail server, an opt-out);
2. every text column of every model (history tables, admin's log, sign-in
   records and this room's own tables included): any remaining mention of a
   name, address or username is replaced with "[erased]";
3. subject access exports about them are deleted with their files.

The erasure event keeps who, when, why and how many records, never whom.
"""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models import CharField, Q, TextField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from ceop_crm.exceptions import ApplicationError
from ceop_crm.privacy.models import (
    ErasedRecord,
    ErasureEvent,
    ReadLogRecord,
    SubjectAccessExport,
)
from ceop_crm.privacy.selectors import (
    PersonQuery,
    person_widen,
    source_matches,
    user_matches,
)
from ceop_crm.privacy.sources import ERASED, PersonalDataSource, personal_data_sources
from partners.reports import report_figures_invalidate
from partners.selectors import mou_list_in_force_signed_by

# Records whose rows are the person: their ids are kept (no personal data) so
# the retention schedule can delete their anonymised history later.
PERSON_RECORDS = ("contact", "ownership_level")
# This room's own records of erasures hold no personal data by construction.
NOT_SWEPT = (ErasureEvent, ErasedRecord, ReadLogRecord)


@dataclass
class ErasurePlan:
    """What an erasure would do: the person widened, and why it may not."""

    query: PersonQuery
    refusals: list[str] = field(default_factory=list)


def person_erasure_plan(*, query: PersonQuery, today) -> ErasurePlan:
    """The person as erasure will match them, and the reasons it must not."""
    widened = person_widen(query)
    plan = ErasurePlan(query=widened)
    for mou in mou_list_in_force_signed_by(names=widened.names, on=today):
        plan.refusals.append(
            f"They sign “{mou.title}” with {mou.organisation.name}, in force until "
            f"{mou.end:%d/%m/%Y}: a signed agreement in force must be kept. "
            "Erase them once it has ended or been terminated."
        )
    return plan


def _anonymised_values(source: PersonalDataSource) -> dict:
    values = {}
    for name_field in source.name_fields:
        values[name_field] = source.erased_name
    for email_field in source.email_fields:
        values[email_field] = [] if source.is_json(email_field) else ""
    for other in source.other_fields:
        values[other] = ""
    return values


def _erase_source(
    source: PersonalDataSource, query: PersonQuery, users, counts: dict
) -> list[int]:
    """Anonymise the place's rows and versions; the live ids it changed."""
    if source.key == "user":
        return _erase_users(query, counts)
    live = source_matches(source, query, users=users)
    ids = list(live.values_list("pk", flat=True))
    changed_versions = 0
    if source.delete_on_erasure:
        # The row exists only for the address: nothing is left to keep.
        deleted = source.model._default_manager.filter(pk__in=ids).delete()[0]
        counts[source.key] = {"deleted": deleted}
        return ids
    if source.whole_row:
        values = _anonymised_values(source)
        if source.key == "email":
            values.update(body_html="", context={}, secrets=[], key=None)
        changed = (
            source.model._default_manager.filter(pk__in=ids).update(**values)
            if values
            else 0
        )
        if source.history_model is not None and values:
            versions = source_matches(
                source, query, history=True, users=users, also_ids=ids
            ).values_list("history_id", flat=True)
            changed_versions = source.history_model._default_manager.filter(
                history_id__in=list(versions)
            ).update(**values)
    else:
        # Only the field naming the person: an MoU keeps its other signatory.
        changed = 0
        for name_field in source.name_fields if query.names else ():
            condition = _any_iexact(name_field, query.names)
            update = {name_field: source.erased_name}
            changed += source.model._default_manager.filter(condition).update(**update)
            if source.history_model is not None:
                changed_versions += source.history_model._default_manager.filter(
                    condition
                ).update(**update)
    counts[source.key] = {"current": changed, "versions": changed_versions}
    return ids


def _erase_users(query: PersonQuery, counts: dict) -> list[int]:
    """Accounts: a unique placeholder username, no name or address, no sign-in."""
    User = get_user_model()
    ids = list(
        User.objects.filter(pk__in=user_matches(query)).values_list("pk", flat=True)
    )
    changed = User.objects.filter(pk__in=ids).update(
        username=Concat(Value("erased-"), Cast("pk", CharField())),
        first_name="",
        last_name="",
        email="",
        is_active=False,
        password=make_password(None),
    )
    counts["user"] = {"current": changed, "versions": 0}
    return ids


# --- Pass 2: every text column ------------------------------------------------


def _text_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        and not f.primary_key
        and not f.choices
    ]


def _redact_value(value, pattern: re.Pattern):
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [_redact_value(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _redact_value(v, pattern) for k, v in value.items()}
    return value


def _structured_fields() -> dict[type, set[str]]:
    """The declared name and address columns: pass 1 settles them row by row,
    so the sweep leaves them alone (a namesake at another address keeps theirs)."""
    fields: dict[type, set[str]] = {}
    for source in personal_data_sources():
        names = {
            *source.name_fields,
            *(f for f in source.email_fields if not source.is_json(f)),
            *(source.full_name or ()),
        }
        if source.key == "user":
            names.add("username")
        for model in filter(None, (source.model, source.history_model)):
            fields.setdefault(model, set()).update(names)
    return fields


def redact_everywhere(*, terms: tuple[str, ...]) -> int:
    """Replace every mention of the terms in every text column but the declared
    name and address columns; rows changed."""
    terms = tuple(t for t in terms if len(t) >= 3)
    if not terms:
        return 0
    # One alternation per column, the same in PostgreSQL (~*) and Python: every
    # character but letters and digits escaped, which both read as a literal.
    source = "|".join(
        "".join(c if c.isalnum() else "\\" + c for c in t)
        for t in sorted(terms, key=len, reverse=True)
    )
    pattern = re.compile(source, re.IGNORECASE)
    structured = _structured_fields()
    changed = 0
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed or model in NOT_SWEPT:
            continue
        fields = [
            f for f in _text_fields(model) if f.name not in structured.get(model, ())
        ]
        if not fields:
            continue
        queryset = model._default_manager.all()
        condition = Q()
        for f in fields:
            column = f.name
            if isinstance(f, models.JSONField):
                column = f"_redact_{f.name}"
                queryset = queryset.annotate(**{column: Cast(f.name, TextField())})
            condition |= Q(**{f"{column}__iregex": source})
        rows = list(queryset.filter(condition).only("pk", *[f.name for f in fields]))
        if not rows:
            continue
        for row in rows:
            for f in fields:
                setattr(row, f.attname, _redact_value(getattr(row, f.attname), pattern))
        model._default_manager.bulk_update(
            rows, [f.name for f in fields], batch_size=500
        )
        changed += len(rows)
    return changed


@transaction.atomic
def person_erase(*, query: PersonQuery, reason: str, actor, today=None) -> ErasureEvent:
    """Erase the person everywhere; refused while they sign an MoU in force."""
    reason = reason.strip()
    if not query:
        raise ApplicationError({"name": ["Give the person's full name or email."]})
    if not reason:
        raise ApplicationError(
            {"reason": ["Say why: the request or the ground for erasure."]}
        )
    plan = person_erasure_plan(query=query, today=today or timezone.localdate())
    if plan.refusals:
        raise ApplicationError({"__all__": plan.refusals})
    widened = plan.query
    lowered = reason.lower()
    if any(term.lower() in lowered for term in widened.terms):
        raise ApplicationError(
            {
                "reason": [
                    "The reason must not name the person or give their email: "
                    "the erasure record keeps no personal data."
                ]
            }
        )
    users = user_matches(widened)
    usernames = tuple(
        users.model.objects.filter(pk__in=users).values_list("username", flat=True)
    )
    counts: dict = {}
    erased_ids: dict[str, list[int]] = {}
    for source in personal_data_sources():
        if source.key == "user":
            continue  # last: the other places find their rows through the accounts
        erased_ids[source.key] = _erase_source(source, widened, users, counts)
    erased_ids["user"] = _erase_source(
        next(s for s in personal_data_sources() if s.key == "user"),
        widened,
        users,
        counts,
    )
    # Their subject access exports hold everything erased here.
    exports = SubjectAccessExport.objects.filter(
        _any_iexact("subject_name", widened.names)
        | _any_iexact("subject_email", widened.emails)
    )
    for export in exports:
        if export.file:
            export.file.delete(save=False)
    counts["subject_access_exports_deleted"] = exports.delete()[0]
    counts["other_text"] = redact_everywhere(terms=(*widened.terms, *usernames))
    event = ErasureEvent(
        actor=actor, created_at=timezone.now(), reason=reason, counts=counts
    )
    event.full_clean()
    event.save()
    sources = {s.key: s for s in personal_data_sources()}
    ErasedRecord.objects.bulk_create(
        [
            ErasedRecord(event=event, model=sources[key].model_label, object_id=pk)
            for key in PERSON_RECORDS
            for pk in erased_ids.get(key, [])
        ],
        batch_size=1000,
    )
    _figures_changed()
    return event


def _figures_changed() -> None:
    """Names and emails were changed by UPDATE, which sends no signal: the
    counts shared between requests (the organisation list's search among
    them, partners.reports.figures) are read afresh once this commits."""
    transaction.on_commit(report_figures_invalidate)


def _any_iexact(field_name: str, values: tuple[str, ...]) -> Q:
    """The field equals one of the values, whatever the case (none: no row)."""
    condition = Q(pk__in=[])
    for value in values:
        condition |= Q(**{f"{field_name}__iexact": value})
    return condition


def records_anonymise(
    *, source: PersonalDataSource, ids: list[int], event: ErasureEvent
) -> int:
    """Anonymise these rows of a place and all their versions (retention)."""
    values = _anonymised_values(source)
    changed = source.model._default_manager.filter(pk__in=ids).update(**values)
    if source.history_model is not None:
        source.history_model._default_manager.filter(id__in=ids).update(**values)
    if source.key in PERSON_RECORDS:
        ErasedRecord.objects.bulk_create(
            [
                ErasedRecord(event=event, model=source.model_label, object_id=pk)
                for pk in ids
            ]
        )
    _figures_changed()
    return changed
