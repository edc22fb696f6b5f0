"""The report figures (the dashboard plots, the aggregate reports) are read
afresh once a change to what they count commits (partners.reports.figures).

Receivers rather than calls in each service: admin edits, imports, merges and
the demo seed change the same tables. The bulk writes that send no signals
bump the version themselves: partners.services.bulk (organisations with their
contacts), planning.services.reviews (reviews scheduled, a year's milestones)
and the demo seed.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from partners.models import (
    Contact,
    Contribution,
    ContributionParty,
    DueDiligence,
    MoU,
    Organisation,
    Proposal,
    RelationshipIssue,
)
from partners.reports import report_figures_invalidate
from planning.models import Milestone, PlanningYear, Review
from priorities.models import PriorityArea
from tiers.models import Association, Benefit, BenefitDelivery, TierChange, TierLevel

# Every model the cached figures read: levels by sector (organisations, their
# current associations, the levels), reviews per quarter (reviews, their
# milestones and planning years), priority-area coverage (contributions,
# proposals, the areas and the links between them), the Annual Review's
# organisations per level (associations, the levels whose benefits it
# recognises), and the number of MoUs and of contacts, and MoUs by state, on the
# pages of the long reports (partners.downloads.sources, partners.reports.lists),
# and the organisation list's counts and pages under its filters (organisations,
# their contacts, associations and levels, support and its priority areas, MoUs,
# reviews, due diligence and planning years: organisation_list_count,
# OrganisationRowsPaged.share). The dashboard's headline figures and its cards'
# rows (counts_together_shared, organisation_rows_first_counted,
# first_rows_shared): with the above, relationship issues and tier moves. The
# review list's number of rows (planning.lists). The organisation page's lists
# (partners.views.organisations.organisation_page_shared): with the above,
# benefit deliveries and the parties to joint support. The staff (their names,
# roles and accounts) are connected apart: the organisation list's owner
# choices, and every person a shared row names.
COUNTED = (
    Organisation,
    Contact,
    MoU,
    DueDiligence,
    RelationshipIssue,
    TierChange,
    Association,
    TierLevel,
    Review,
    Milestone,
    PlanningYear,
    Contribution,
    Proposal,
    PriorityArea,
    Benefit,
    BenefitDelivery,
    ContributionParty,
)


def _changed(sender, **kwargs) -> None:
    # After the commit (never for a rolled-back change); at once outside a
    # transaction.
    transaction.on_commit(report_figures_invalidate)


def _person_changed(sender, update_fields=None, **kwargs) -> None:
    # The staff the organisation list offers as owners (a name, a role, an
    # account switched off); a sign-in, which saves only last_login, is not one.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    transaction.on_commit(report_figures_invalidate)


def connect() -> None:
    user_model = get_user_model()
    post_save.connect(_person_changed, sender=user_model, dispatch_uid="figures-user")
    post_delete.connect(
        _person_changed, sender=user_model, dispatch_uid="figures-user-delete"
    )
    m2m_changed.connect(
        _changed, sender=user_model.groups.through, dispatch_uid="figures-user-groups"
    )
    # A role renamed or removed: who the owner choices offer.
    post_save.connect(_changed, sender=Group, dispatch_uid="figures-group")
    post_delete.connect(_changed, sender=Group, dispatch_uid="figures-group-delete")
    for model in COUNTED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"figures-save-{model}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"figures-delete-{model}"
        )
    for through in (
        Contribution.priority_areas.through,
        Proposal.priority_areas.through,
    ):
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"figures-{through}")
