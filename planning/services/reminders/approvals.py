"""Approvals waiting: a tier move (or a new association) a senior manager must decide.

Each pending move is one notice to every senior manager, once: what a senior
manager must decide cannot be switched off, only moved into the digest.
"""

import datetime as dt
from functools import partial

from django.contrib.auth import get_user_model

from ceop_crm.roles import SENIOR_MANAGER
from planning.services.reminders.base import Notice, Step, _recorded
from planning.services.reminders.texts import _path, _uk


def _texts(direction: str, org_name: str, tier: str, effective: dt.date):
    title = f"Tier move awaiting your approval: {org_name}"
    body = (
        f"{direction} for {org_name}"
        + (f" to {tier}" if tier else "")
        + f", from {_uk(effective)}. A senior manager decides it."
    )
    return title, body


def approval_notices(today: dt.date) -> list[Notice]:
    """Pending tier moves not yet notified, to the senior managers; two queries."""
    from tiers.models import TierChange

    rows = list(
        TierChange.objects.filter(status=TierChange.Status.PENDING)
        .exclude(_recorded("tier_change", Step.APPROVAL_WAITING))
        .values_list(
            "pk", "organisation__name", "direction", "to_tier__name", "effective_date"
        )
        .order_by("pk")
    )
    if not rows:
        return []
    senior_managers = set(
        get_user_model()
        .objects.filter(is_active=True, groups__name=SENIOR_MANAGER)
        .values_list("pk", flat=True)
    )
    directions = dict(TierChange.Direction.choices)
    notices = []
    for pk, org_name, direction, tier, effective in rows:
        path = _path(["tiers:tier_change_detail"], f"/tier-moves/{pk}/", pk=pk)
        notice = Notice(
            step=Step.APPROVAL_WAITING,
            subject_type="tier_change",
            subject_id=pk,
            make_texts=partial(
                _texts,
                directions.get(direction, direction),
                org_name,
                tier or "",
                effective,
            ),
            due_on=effective,
            staff_path=path,
            partner_path="",
        )
        notice.users |= senior_managers
        notices.append(notice)
    return notices
