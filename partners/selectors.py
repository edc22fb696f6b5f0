"""Reads of the partners app."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from partners.dedupe.normalise import name_key
from partners.models import (
    Contact,
    Contribution,
    DueDiligence,
    MoU,
    Organisation,
    Proposal,
    RelationshipIssue,
)


def relationship_is_live(*, organisation_id: int, today: date | None = None) -> bool:
    """Whether an organisation's relationship still runs (so its partner users keep
    their access): not ended, and either never associated (a prospect) or with an
    association that runs today or later. One query."""
    from tiers.models import Association

    today = today or timezone.localdate()
    associations = Association.objects.filter(organisation=OuterRef("pk"))
    return (
        Organisation.objects.filter(pk=organisation_id)
        .exclude(status=Organisation.Status.ENDED)
        .filter(
            ~Exists(associations)
            | Exists(associations.filter(Q(end__isnull=True) | Q(end__gte=today)))
        )
        .exists()
    )


def organisation_find_by_name(*, name: str) -> Organisation | None:
    """The organisation whose normalised name equals this one's, if any."""
    return Organisation.objects.filter(name_key=name_key(name)).first()


def due_diligence_current(
    *, organisation: Organisation, on: date
) -> DueDiligence | None:
    """The approved due diligence that covers the day, if any."""
    return (
        DueDiligence.objects.filter(
            organisation=organisation,
            outcome=DueDiligence.Outcome.APPROVED,
            assessed_on__lte=on,
            expires_on__gt=on,
        )
        .order_by("-expires_on")
        .first()
    )


def mou_in_force(*, organisation: Organisation, on: date) -> MoU | None:
    """The signed MoU in force on the day, if any."""
    return (
        MoU.objects.filter(
            organisation=organisation,
            status=MoU.Status.SIGNED,
            start__lte=on,
            end__gte=on,
        )
        .order_by("-end")
        .first()
    )


def mou_list_in_force_signed_by(*, names: tuple[str, ...], on: date) -> QuerySet[MoU]:
    """Signed MoUs in force on the day that one of these names signs (either side)."""
    signed_by = Q()
    for name in names:
        signed_by |= Q(ceop_signatory__iexact=name) | Q(partner_signatory__iexact=name)
    if not names:
        return MoU.objects.none()
    return (
        MoU.objects.filter(
            signed_by, status=MoU.Status.SIGNED, start__lte=on, end__gte=on
        )
        .select_related("organisation")
        .order_by("end", "pk")
    )


def mou_list_for_organisation(*, organisation: Organisation) -> QuerySet[MoU]:
    return (
        MoU.objects.filter(organisation=organisation)
        .prefetch_related("ownership_levels", "centre_plan_objectives")
        .order_by("-start", "-pk")
    )


# --- Staff workspace reads -------------------------------------------------

MOU_ENDING_DAYS = 90


def organisation_next_review_due(*, today: date) -> Subquery:
    """The organisation's next scheduled review from today on (served by the
    partial index review_scheduled_org_due)."""
    from planning.models import Review

    return Subquery(
        Review.objects.filter(
            organisation=OuterRef("pk"),
            status=Review.Status.SCHEDULED,
            due_on__gte=today,
        )
        .order_by("due_on")
        .values("due_on")[:1]
    )


class OrganisationRowsPaged:
    """An organisation list read in two steps, for Paginator.

    A page's ids come from a lean query (filters and ordering only, no joins or
    columns), then that page's rows are read with the list's annotations. Used
    where the ordering is a per-organisation subquery: sorting every matching
    row with the tier and owner joins costs more than sorting bare ids.
    """

    ordered = True

    def __init__(
        self, *, ids: QuerySet[Organisation], rows: QuerySet[Organisation]
    ) -> None:
        self.ids = ids.values_list("pk", flat=True)
        self.rows = rows.order_by()

    def count(self) -> int:
        return self.ids.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        page_ids = list(self.ids[key])
        if not page_ids:
            return []
        by_pk = {row.pk: row for row in self.rows.filter(pk__in=page_ids)}
        return [by_pk[pk] for pk in page_ids if pk in by_pk]


# --- At risk: an association that no longer meets its level's conditions -------

AT_RISK_REASONS = {
    "mou": "No signed MoU in force, which its level needs",
    "due_diligence": "No approved due diligence in force",
}


def organisation_at_risk_conditions(*, today: date) -> dict[str, Q]:
    """Why an organisation is at risk on the day, each a condition on Organisation.

    The one definition the organisation page, the list's filter, the dashboard
    and the sweep use: a current association whose level needs an MoU and has
    none in force, or any current association (a supplier's is not one) without
    approved, unexpired due diligence. Nothing is demoted for it: a senior
    manager decides a move.
    """
    from tiers.models import Association

    current = Association.objects.filter(organisation=OuterRef("pk"), end__isnull=True)
    mou_in_force = MoU.objects.filter(
        organisation=OuterRef("pk"),
        status=MoU.Status.SIGNED,
        start__lte=today,
        end__gte=today,
    )
    due_diligence_in_force = DueDiligence.objects.filter(
        organisation=OuterRef("pk"),
        outcome=DueDiligence.Outcome.APPROVED,
        assessed_on__lte=today,
        expires_on__gt=today,
    )
    return {
        "mou": Q(Exists(current.filter(tier__requires_mou=True)))
        & ~Q(Exists(mou_in_force)),
        "due_diligence": Q(Exists(current.filter(tier__is_association=True)))
        & ~Q(Exists(due_diligence_in_force)),
    }


def organisation_filter_at_risk(
    *, queryset: QuerySet[Organisation], today: date, at_risk: bool = True
) -> QuerySet[Organisation]:
    conditions = organisation_at_risk_conditions(today=today).values()
    either = Q()
    for condition in conditions:
        either |= condition
    return queryset.filter(either if at_risk else ~either)


def organisation_annotate_at_risk(
    *, queryset: QuerySet[Organisation], today: date
) -> QuerySet[Organisation]:
    """Each organisation with at_risk_mou and at_risk_due_diligence."""
    return queryset.annotate(
        **{
            f"at_risk_{key}": ExpressionWrapper(condition, output_field=BooleanField())
            for key, condition in organisation_at_risk_conditions(today=today).items()
        }
    )


def organisation_at_risk_reasons(organisation: Organisation) -> list[str]:
    """The reasons of an organisation read through ``organisation_list``."""
    return [
        text
        for key, text in AT_RISK_REASONS.items()
        if getattr(organisation, f"at_risk_{key}", False)
    ]


def organisation_list(*, today: date) -> QuerySet[Organisation]:
    """Organisations with what a list shows of each, in a fixed number of queries.

    Annotated with the current tier (name, code, rank), the number of overdue
    reviews, the next review due, the MoU state (the end of the MoU in force,
    else the status of the latest MoU) and whether it is at risk (at_risk_mou,
    at_risk_due_diligence).
    """
    from planning.models import Review

    scheduled = Review.objects.filter(
        organisation=OuterRef("pk"), status=Review.Status.SCHEDULED
    )
    overdue = (
        scheduled.filter(due_on__lt=today)
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    in_force = MoU.objects.filter(
        organisation=OuterRef("pk"),
        status=MoU.Status.SIGNED,
        start__lte=today,
        end__gte=today,
    ).order_by("-end")
    latest_mou = MoU.objects.filter(organisation=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    # The current association as a join: the database allows at most one per
    # organisation, so the join never repeats a row, and sorting by level is
    # a plain join instead of a subquery per organisation. The owner only: each
    # further join multiplies PostgreSQL's planning time (a deputy join took it
    # from 1.6 to 5 ms at 10,000 organisations).
    listed = (
        Organisation.objects.select_related("owner")
        .annotate(
            current=FilteredRelation(
                "associations", condition=Q(associations__end__isnull=True)
            )
        )
        .annotate(
            tier_name=F("current__tier__name"),
            tier_code=F("current__tier__code"),
            tier_rank=F("current__tier__rank"),
            tier_is_association=F("current__tier__is_association"),
            association_start=F("current__start"),
            overdue_reviews=Coalesce(
                Subquery(overdue[:1], output_field=IntegerField()), Value(0)
            ),
            next_review_due=organisation_next_review_due(today=today),
            mou_in_force_end=Subquery(in_force.values("end")[:1]),
            latest_mou_status=Subquery(latest_mou.values("status")[:1]),
        )
        .order_by("name", "pk")
    )
    return organisation_annotate_at_risk(queryset=listed, today=today)


def counts_together(**querysets: QuerySet) -> dict[str, int]:
    """The number of rows of each queryset, read in one SQL statement.

    Each count is a scalar subquery over the queryset's ids (its ordering and
    columns dropped); one round trip instead of one per figure.
    """
    parts, params = [], []
    for name, queryset in querysets.items():
        if not name.isidentifier():
            raise ValueError(f"Not a column name: {name!r}")
        sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f'(SELECT COUNT(*) FROM ({sql}) AS "{name}_rows") AS "{name}"')  # noqa: S608 (Django-compiled SQL; names checked above)
        params.extend(query_params)
    if not parts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


def organisation_search(
    *, queryset: QuerySet[Organisation], text: str
) -> QuerySet[Organisation]:
    """Organisations whose name, or a contact's name or email, holds the text."""
    text = text.strip()
    if not text:
        return queryset
    contact = Contact.objects.filter(organisation=OuterRef("pk")).filter(
        Q(name__icontains=text) | Q(email__icontains=text)
    )
    return queryset.filter(Q(name__icontains=text) | Exists(contact))


def organisation_filter_mou_state(
    *, queryset: QuerySet[Organisation], state: str, today: date
) -> QuerySet[Organisation]:
    signed = MoU.objects.filter(
        organisation=OuterRef("pk"),
        status=MoU.Status.SIGNED,
        start__lte=today,
        end__gte=today,
    )
    any_mou = MoU.objects.filter(organisation=OuterRef("pk"))
    if state == "in_force":
        return queryset.filter(Exists(signed))
    if state == "ending":
        return queryset.filter(
            Exists(signed.filter(end__lte=today + timedelta(days=MOU_ENDING_DAYS)))
        )
    if state == "drafting":
        return queryset.filter(
            Exists(
                any_mou.filter(status__in=[MoU.Status.DRAFT, MoU.Status.NEGOTIATION])
            )
        )
    if state == "lapsed":
        return queryset.filter(
            Exists(
                any_mou.filter(status__in=[MoU.Status.EXPIRED, MoU.Status.TERMINATED])
            )
        ).exclude(Exists(signed))
    if state == "none":
        return queryset.exclude(Exists(any_mou))
    return queryset


def organisation_get(*, pk: int, today: date) -> Organisation:
    """One organisation with its list annotations (raises DoesNotExist)."""
    return organisation_list(today=today).select_related("deputy").get(pk=pk)


def organisation_contacts(*, organisation: Organisation) -> QuerySet[Contact]:
    return Contact.objects.filter(organisation=organisation).order_by(
        "-is_primary", "name"
    )


def due_diligence_list_for_organisation(
    *, organisation: Organisation
) -> QuerySet[DueDiligence]:
    from partners.models import PrincipleAssessment

    return (
        DueDiligence.objects.filter(organisation=organisation)
        .select_related("assessed_by")
        .prefetch_related(
            Prefetch(
                "principle_assessments",
                queryset=PrincipleAssessment.objects.select_related("principle"),
            )
        )
        .order_by("-assessed_on", "-pk")
    )


def contribution_list_for_organisation(
    *, organisation: Organisation
) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(organisation=organisation)
        .prefetch_related("priority_areas", "centre_plan_objectives")
        .order_by("-created_at", "-pk")
    )


def relationship_issue_list(*, open_only: bool = False) -> QuerySet[RelationshipIssue]:
    issues = RelationshipIssue.objects.select_related("organisation", "owner")
    if open_only:
        issues = issues.filter(status=RelationshipIssue.Status.OPEN)
    return issues.order_by("status", "-escalation_level", "raised_on", "pk")


def proposal_list(*, status: str | None = None) -> QuerySet[Proposal]:
    proposals = Proposal.objects.select_related(
        "organisation", "threat", "decided_by", "contribution"
    ).prefetch_related("priority_areas")
    if status:
        proposals = proposals.filter(status=status)
    return proposals.order_by("-created_at", "-pk")


def mou_list_ending(*, today: date, days: int = MOU_ENDING_DAYS) -> QuerySet[MoU]:
    """Signed MoUs that end within the coming days, soonest first."""
    renewed = MoU.objects.filter(renewal_of=OuterRef("pk")).exclude(
        status=MoU.Status.TERMINATED
    )
    return (
        MoU.objects.filter(
            status=MoU.Status.SIGNED,
            end__gte=today,
            end__lte=today + timedelta(days=days),
        )
        .select_related("organisation", "organisation__owner")
        .annotate(has_renewal=Exists(renewed))
        .order_by("end", "pk")
    )


def mou_get(*, pk: int) -> MoU:
    return (
        MoU.objects.select_related("organisation", "renewal_of")
        .prefetch_related("ownership_levels", "centre_plan_objectives", "renewals")
        .get(pk=pk)
    )


def staff_user_list(*, editors_only: bool = True) -> QuerySet:
    """Users who may own a relationship (managers), or any staff member."""
    from ceop_crm.roles import EDITOR_ROLES, STAFF_ROLES

    roles = EDITOR_ROLES if editors_only else STAFF_ROLES
    return (
        get_user_model()
        .objects.filter(
            Q(groups__name__in=roles) | Q(is_superuser=True), is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
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
