"""The organisation page's history: who changed what, grouped."""

from datetime import date

from partners.models import (
    Contact,
    Contribution,
    DueDiligence,
    MoU,
    Organisation,
    Proposal,
    RelationshipIssue,
)

# --- Organisation page: timeline and history ------------------------------

HISTORY_LIMIT = 60
_HISTORY_SKIP = {"id", "created_at", "updated_at", "history_id", "history_date"}


def _history_models():
    from partners.joint.models import ContributionParty
    from planning.models import Review
    from tiers.models import Association, BenefitDelivery, TierChange

    return [
        (Organisation, "id", "Organisation"),
        (Contact, "organisation_id", "Contact"),
        (DueDiligence, "organisation_id", "Due diligence"),
        (MoU, "organisation_id", "MoU"),
        (Contribution, "organisation_id", "Contribution"),
        (ContributionParty, "organisation_id", "Joint support"),
        (Proposal, "organisation_id", "Proposal"),
        (RelationshipIssue, "organisation_id", "Relationship issue"),
        (Association, "organisation_id", "Association"),
        (TierChange, "organisation_id", "Tier move"),
        (BenefitDelivery, "organisation_id", "Benefit delivery"),
        (Review, "organisation_id", "Review"),
    ]


def _display(field, value) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def organisation_history(
    *, organisation: Organisation, limit: int = HISTORY_LIMIT
) -> list[dict]:
    """Who changed what, when: the latest changes to the organisation and its records.

    One query per audited model, whatever the size of the history; a change is
    compared with the previous version of the same record when that is among
    the rows read.
    """
    entries: list[dict] = []
    for model, key, label in _history_models():
        history = model.history.model
        rows = list(
            history.objects.filter(**{key: organisation.pk})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:limit]
        )
        fields = [
            f for f in model._meta.concrete_fields if f.attname not in _HISTORY_SKIP
        ]
        previous: dict[int, object] = {}
        for row in reversed(rows):
            before = previous.get(row.id)
            changes: list[str] = []
            if row.history_type == "~" and before is not None:
                for f in fields:
                    old, new = getattr(before, f.attname), getattr(row, f.attname)
                    if old != new:
                        if f.is_relation:
                            changes.append(f"{f.verbose_name} changed")
                        else:
                            changes.append(
                                f"{f.verbose_name}: {_display(f, old)} → {_display(f, new)}"
                            )
            previous[row.id] = row
            user = row.history_user
            entries.append(
                {
                    "when": row.history_date,
                    "who": (user.get_full_name() or user.get_username())
                    if user
                    else "System",
                    "what": label,
                    # Never str(instance): most __str__ read related rows.
                    "object": getattr(row, "title", None)
                    or getattr(row, "name", None)
                    or "",
                    "action": {"+": "created", "~": "changed", "-": "deleted"}[
                        row.history_type
                    ],
                    "changes": changes,
                    "reason": row.history_change_reason or "",
                }
            )
    entries.sort(key=lambda e: e["when"], reverse=True)
    return _history_grouped(entries)[:limit]


def _history_grouped(entries: list[dict]) -> list[dict]:
    """Fold runs of the same bare change (e.g. reviews scheduled together) into one."""
    grouped: list[dict] = []
    for entry in entries:
        last = grouped[-1] if grouped else None
        if (
            last is not None
            and not entry["changes"]
            and not last["changes"]
            and (last["who"], last["what"], last["action"])
            == (entry["who"], entry["what"], entry["action"])
            and abs((last["when"] - entry["when"]).total_seconds()) < 60
        ):
            last["count"] += 1
            if last["object"] != entry["object"]:
                last["object"] = ""
            continue
        grouped.append({**entry, "count": 1})
    return grouped
