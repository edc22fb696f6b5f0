"""Reads of the daily digest: who has notices waiting, and each notice's organisation."""

import datetime as dt
from collections import defaultdict

from django.db.models import QuerySet

from planning.models import Reminder


def digest_pending(*, before: dt.datetime) -> QuerySet[Reminder]:
    """Reminders waiting for a digest, recorded before the digest's moment."""
    return Reminder.objects.filter(
        delivery="digest",
        digest__isnull=True,
        created_at__lte=before,
        recipient__is_active=True,
    )


def digest_recipient_ids(*, before: dt.datetime) -> list[int]:
    return sorted(
        set(digest_pending(before=before).values_list("recipient_id", flat=True))
    )


def _source(subject_type: str) -> str | None:
    if subject_type.startswith("issue-level-"):
        return "issue"
    if subject_type.startswith("at-risk-"):
        return "at-risk"
    if subject_type in ("review", "mou", "due_diligence", "tier_change"):
        return subject_type
    return None


def reminder_organisations(reminders: list[Reminder]) -> dict[int, tuple[int, str]]:
    """{reminder id: (organisation id, name)}; one query per kind of subject."""
    from partners.models import DueDiligence, MoU, Organisation, RelationshipIssue
    from planning.models import Review
    from tiers.models import TierChange

    models = {
        "review": Review,
        "mou": MoU,
        "due_diligence": DueDiligence,
        "issue": RelationshipIssue,
        "tier_change": TierChange,
    }
    wanted: dict[str, set[int]] = defaultdict(set)
    for reminder in reminders:
        source = _source(reminder.subject_type)
        if source:
            wanted[source].add(reminder.subject_id)
    found: dict[str, dict[int, tuple[int, str]]] = {}
    for source, ids in wanted.items():
        if source == "at-risk":
            rows = Organisation.objects.filter(pk__in=ids).values_list(
                "pk", "pk", "name"
            )
        else:
            rows = (
                models[source]
                .objects.filter(pk__in=ids)
                .values_list("pk", "organisation_id", "organisation__name")
            )
        found[source] = {pk: (org_id, name) for pk, org_id, name in rows}
    result = {}
    for reminder in reminders:
        source = _source(reminder.subject_type)
        if source and reminder.subject_id in found.get(source, {}):
            result[reminder.pk] = found[source][reminder.subject_id]
    return result
