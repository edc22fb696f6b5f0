"""Merging a duplicate organisation (B, the source) into the one kept (A, the target).

``organisation_merge_preview`` says what would move and how each conflict is
resolved, or why the merge is refused; ``organisation_merge`` does it in one
transaction: every record pointing at B moves to A (saved one by one, so each
move is in that record's history with the merging user), B keeps its own
history and stays as a merged record pointing at A (hidden from every list; its
name no longer blocks), and an ``OrganisationMerge`` row records who, when and
what B was.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ceop_crm.exceptions import ApplicationError
from partners.dedupe.models import OrganisationMerge
from partners.models import Contact, Organisation

# Every relation pointing at an organisation, by accessor, with its label. A
# test checks this against Organisation._meta.related_objects, so a new model
# pointing at organisations cannot be forgotten here.
MOVED_RELATIONS = {
    "contacts": "contacts",
    "due_diligence": "due diligence assessments",
    "mous": "MoUs",
    "associations": "associations",
    "tier_changes": "tier moves",
    "reviews": "reviews",
    "contributions": "contributions",
    "joint_contributions": "places in joint support",
    "proposals": "proposals",
    "relationship_issues": "relationship issues",
    "portal_memberships": "portal memberships",
    "benefit_deliveries": "benefit deliveries",
    "import_rows": "import rows",
    "merged_records": "records merged into it earlier",
    "activities": "activities",
    "tasks": "follow-up tasks",
}
# Relations that name the merged record on purpose and stay with it.
KEPT_RELATIONS = {"merges_received", "merge_record"}
# Fields of the kept organisation filled from the duplicate when empty.
FILLED_FIELDS = ("website", "description", "external_ref", "owner", "deputy")
# What the merge record keeps of the duplicate as it was.
SNAPSHOT_FIELDS = (
    "name",
    "name_key",
    "sector",
    "status",
    "owner",
    "deputy",
    "website",
    "country",
    "description",
    "external_ref",
)


@dataclass
class MergePreview:
    source: Organisation
    target: Organisation
    moves: list[tuple[str, int]] = field(default_factory=list)
    resolutions: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    filled: dict[str, object] = field(default_factory=dict)
    demote_contact: Contact | None = None
    cancel_review_ids: list[int] = field(default_factory=list)
    # Places in joint support that would name the kept organisation twice.
    drop_party_ids: list[int] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.refusals


def _relation(organisation: Organisation, accessor: str):
    relation = next(
        r
        for r in Organisation._meta.related_objects
        if r.get_accessor_name() == accessor
    )
    manager = relation.related_model._base_manager
    return relation, manager.filter(**{relation.field.name: organisation})


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start <= (b_end or b_start.max) and b_start <= (a_end or a_start.max)


def organisation_merge_preview(
    *, source: Organisation, target: Organisation
) -> MergePreview:
    """What merging ``source`` into ``target`` would move, resolve or refuse."""
    from planning.models import Review
    from tiers.models import TierChange

    preview = MergePreview(source=source, target=target)
    if source.pk == target.pk:
        preview.refusals.append("An organisation cannot be merged into itself.")
        return preview
    for organisation in (source, target):
        if organisation.merged_into_id is not None:
            preview.refusals.append(
                f"{organisation.name} has already been merged into another organisation."
            )
    if preview.refusals:
        return preview
    for accessor, label in MOVED_RELATIONS.items():
        count = _relation(source, accessor)[1].count()
        if count:
            preview.moves.append((label, count))

    source_assocs = list(source.associations.select_related("tier"))
    target_assocs = list(target.associations.select_related("tier"))
    current = [a for a in source_assocs + target_assocs if a.end is None]
    if len(current) > 1:
        preview.refusals.append(
            "Both organisations have a current association "
            f"({source.name}: {current[0].tier.name}; {target.name}: "
            f"{current[1].tier.name}). End one of them with a tier move first."
        )
    else:
        for a in source_assocs:
            for b in target_assocs:
                if _overlaps(a.start, a.end, b.start, b.end):
                    preview.refusals.append(
                        f"Their associations overlap in time ({a.tier.name} from "
                        f"{a.start:%d/%m/%Y}; {b.tier.name} from {b.start:%d/%m/%Y}): "
                        "one organisation cannot hold two levels at once."
                    )
    pending = TierChange.objects.filter(
        organisation__in=[source, target], status=TierChange.Status.PENDING
    ).count()
    if pending > 1:
        preview.refusals.append(
            "Both organisations have a tier move awaiting approval: decide one first."
        )

    source_primary = source.contacts.filter(is_primary=True).first()
    target_primary = target.contacts.filter(is_primary=True).first()
    if source_primary and target_primary:
        preview.demote_contact = source_primary
        preview.resolutions.append(
            f"Two primary contacts: {target_primary.name} stays primary; "
            f"{source_primary.name} moves as an ordinary contact."
        )

    target_windows = dict(
        Review.objects.filter(organisation=target)
        .exclude(status=Review.Status.CANCELLED)
        .values_list("milestone_id", "status")
    )
    for review in (
        Review.objects.filter(organisation=source, milestone_id__in=target_windows)
        .exclude(status=Review.Status.CANCELLED)
        .select_related("milestone")
    ):
        if review.status == Review.Status.SCHEDULED:
            preview.cancel_review_ids.append(review.pk)
            preview.resolutions.append(
                f"Both have a review in {review.milestone.name}: {source.name}'s "
                "scheduled one is cancelled, the other kept."
            )
        elif target_windows[review.milestone_id] == Review.Status.SCHEDULED:
            preview.refusals.append(
                f"{source.name} completed its {review.milestone.name} review while "
                f"{target.name}'s is still scheduled: cancel or complete it first."
            )
        else:
            preview.refusals.append(
                f"Both completed a review in {review.milestone.name}: one "
                "organisation has one review per window."
            )

    _joint_support_overlaps(preview)
    for name in FILLED_FIELDS:
        mine, theirs = getattr(target, name), getattr(source, name)
        if not mine and theirs:
            if name == "deputy" and theirs == (
                preview.filled.get("owner") or target.owner
            ):
                continue
            preview.filled[name] = theirs
            label = Organisation._meta.get_field(name).verbose_name
            preview.resolutions.append(
                f"{target.name} has no {label}: {source.name}'s ({theirs}) is kept."
            )
    return preview


def _joint_support_overlaps(preview: MergePreview) -> None:
    """A contribution both organisations are on keeps the kept one once: as its
    lead if either led it, otherwise as one of those working on it."""
    from partners.joint.models import ContributionParty

    source, target = preview.source, preview.target
    doubles = ContributionParty.objects.filter(
        Q(organisation=source, contribution__organisation=target)
        | Q(organisation=source, contribution__parties__organisation=target)
        | Q(organisation=target, contribution__organisation=source)
    ).select_related("contribution")
    for party in doubles.distinct().order_by("pk"):
        preview.drop_party_ids.append(party.pk)
        preview.resolutions.append(
            f"Both work on “{party.contribution.title}”: {target.name} stays on it once."
        )


@transaction.atomic
def organisation_merge(
    *, source: Organisation, target: Organisation, actor: AbstractBaseUser
) -> OrganisationMerge:
    """Merge ``source`` into ``target``: everything moves, or nothing does."""
    from planning.models import Review
    from planning.services import reviews_schedule

    locked = Organisation.all_objects.select_for_update().in_bulk(
        [source.pk, target.pk]
    )
    source, target = locked[source.pk], locked[target.pk]
    preview = organisation_merge_preview(source=source, target=target)
    if not preview.allowed:
        raise ApplicationError(preview.refusals)
    snapshot = {
        name: getattr(source, Organisation._meta.get_field(name).attname)
        for name in SNAPSHOT_FIELDS
    }
    if preview.demote_contact is not None:
        contact = preview.demote_contact
        contact.is_primary = False
        contact._history_user = actor
        contact.save(update_fields=["is_primary", "updated_at"])
    for review in Review.objects.filter(pk__in=preview.cancel_review_ids):
        review.status = Review.Status.CANCELLED
        review.cancelled_reason = (
            f"Duplicate: {source.name} was merged into {target.name}."
        )
        review._history_user = actor
        review.save(update_fields=["status", "cancelled_reason", "updated_at"])
    from partners.joint.models import ContributionParty

    for party in ContributionParty.objects.filter(pk__in=preview.drop_party_ids):
        party._history_user = actor
        party.delete()
    source_current = source.associations.filter(end__isnull=True).exists()

    moved: dict[str, list[int]] = {}
    for accessor in MOVED_RELATIONS:
        relation, rows = _relation(source, accessor)
        column = relation.field.name
        ids = []
        for row in rows.order_by("pk"):
            setattr(row, column, target)
            row._history_user = actor
            fields = [column]
            if hasattr(row, "updated_at"):
                fields.append("updated_at")
            row.save(update_fields=fields)
            ids.append(row.pk)
        if ids:
            moved[accessor] = ids

    # The merged record: hidden, its name no longer blocking, its reference freed.
    source.merged_into = target
    source.external_ref = ""
    source._history_user = actor
    source.save()

    for name, value in preview.filled.items():
        setattr(target, name, value)
    if source_current:
        target.status = Organisation.Status.ACTIVE
    target._history_user = actor
    target.full_clean()
    target.save()

    record = OrganisationMerge(
        target=target,
        merged=source,
        merged_name=snapshot["name"],
        merged_fields=snapshot,
        moved=moved,
        resolutions=preview.resolutions,
        merged_by=actor,
        merged_at=timezone.now(),
    )
    record.full_clean()
    record.save()
    reviews_schedule(organisation_ids=[target.pk])
    return record
