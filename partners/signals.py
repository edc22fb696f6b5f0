"""The dashboard plots are read afresh once a change to what they count commits.

Receivers rather than calls in each service: admin edits, imports and the demo
seed change the same tables.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from partners.models import Contribution, Organisation, Proposal
from partners.reports import dashboard_plots_invalidate
from planning.models import Review
from priorities.models import PriorityArea
from tiers.models import Association

COUNTED = (Organisation, Association, Review, Contribution, Proposal, PriorityArea)


def _changed(sender, **kwargs) -> None:
    # After the commit (never for a rolled-back change); at once outside a
    # transaction.
    transaction.on_commit(dashboard_plots_invalidate)


def connect() -> None:
    for model in COUNTED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"plots-save-{model}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"plots-delete-{model}"
        )
    for through in (
        Contribution.priority_areas.through,
        Proposal.priority_areas.through,
    ):
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"plots-{through}")
