"""Reads of organisations for the workspace: the list, its filters and search,
one organisation, its contacts (paging and counting: partners.selectors.counting)."""

import functools
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from ceop_crm.lookups import AnyOf
from partners.dedupe.normalise import name_key
from partners.models import (
    Contact,
    MoU,
    Organisation,
)
from partners.selectors.agreements import MOU_ENDING_DAYS
from partners.selectors.at_risk import organisation_annotate_at_risk


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


def organisation_overdue_reviews(*, today: date) -> Coalesce:
    """The number of the organisation's scheduled reviews due before today."""
    from planning.models import Review

    overdue = (
        Review.objects.filter(
            organisation=OuterRef("pk"),
            status=Review.Status.SCHEDULED,
            due_on__lt=today,
        )
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(overdue[:1], output_field=IntegerField()), Value(0))


def organisation_list(*, today: date) -> QuerySet[Organisation]:
    """Organisations with what a list shows of each, in a fixed number of queries.

    Annotated with the current tier (name, code, rank), the number of overdue
    reviews, the next review due, the MoU state (the end of the MoU in force,
    else the status of the latest MoU) and whether it is at risk (at_risk_mou,
    at_risk_due_diligence).

    Built once a day and process (building its subqueries took 5 ms of each
    list, dashboard and organisation page); each call gets a copy of its own,
    never evaluated, so no rows are shared between requests.
    """
    return _organisation_list_built(today).all()


@functools.lru_cache(maxsize=4)
def _organisation_list_built(today: date) -> QuerySet[Organisation]:
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
            overdue_reviews=organisation_overdue_reviews(today=today),
            next_review_due=organisation_next_review_due(today=today),
            mou_in_force_end=Subquery(in_force.values("end")[:1]),
            latest_mou_status=Subquery(latest_mou.values("status")[:1]),
        )
        .order_by("name", "pk")
    )
    return organisation_annotate_at_risk(queryset=listed, today=today)


def organisation_list_by_ids(*, ids: list[int]) -> QuerySet[Organisation]:
    """The organisations ticked on a list, for a bulk action (each goes through
    the single action's service, which checks who may act on it)."""
    return Organisation.objects.filter(pk__in=ids).order_by("name", "pk")


# A search matching at most this many organisations is read once as ids, then
# every query of the list (its count, its page) reads those from the primary
# key's index. Past it, the matches stay a subquery.
SEARCH_IDS_AT_MOST = 10_000


def _search_matches(text: str):
    """The ids of the organisations named so and of the contacts' organisations
    (merged ones among them), as one UNION."""
    named = Organisation.objects.filter(name__icontains=text).order_by()
    contacts = Contact.objects.filter(
        Q(name__icontains=text) | Q(email__icontains=text)
    )
    return named.values_list("pk", flat=True).union(
        contacts.order_by().values_list("organisation_id", flat=True)
    )


def organisation_search_ids(*, text: str) -> list[int] | None:
    """The organisations a search finds, in the list's order (name, then id),
    on PostgreSQL when they are at most SEARCH_IDS_AT_MOST; None otherwise
    (another database, no text, or too many: the matches stay a subquery).

    Read in two statements (the union of matches, then those organisations by
    primary key in order) and shared between requests until a change to the
    organisations or their contacts commits (partners.signals; an erasure
    bumps it too). A list searched and sorted by name then pages on these ids.
    """
    text = text.strip()
    if not text or connection.vendor != "postgresql":
        return None
    from partners.reports.figures import report_figures_cached

    def read() -> list[int]:
        matched = list(_search_matches(text)[: SEARCH_IDS_AT_MOST + 1])
        if len(matched) > SEARCH_IDS_AT_MOST:
            return matched
        return list(
            Organisation.objects.filter(AnyOf(F("pk"), matched))
            .order_by("name", "pk")
            .values_list("pk", flat=True)
        )

    ids = report_figures_cached(
        "search:organisations:" + text, today=timezone.localdate(), build=read
    )
    return ids if len(ids) <= SEARCH_IDS_AT_MOST else None


def organisation_search_condition(
    *, text: str, ids: list[int] | None = None
) -> Q | AnyOf | None:
    """The condition on organisations whose name, or a contact's name or email,
    holds the text; None for no text.

    The matches are a UNION of the organisations named so and the contacts'
    organisations, each part read through a trigram index on ``UPPER(…)``
    (admin_trgm_partners_organisation_name, privacy_trgm_partners_contact_name,
    partners_contact_email_trgm): ``name LIKE … OR EXISTS (contact …)`` on each
    organisation row left PostgreSQL no index to use and read every
    organisation (2.1 s at 100,000 organisations).

    On PostgreSQL the matches are read once (organisation_search_ids) and the
    condition is ``pk = ANY(ids)``. As ``pk IN (UNION)`` the list ran the union
    twice (count and page) and each time hashed it against all 100,000
    organisations (22 and 39 ms for 2,772 matches); by ids, each is a probe of
    the primary key per match. A search matching more than SEARCH_IDS_AT_MOST
    stays a subquery. ``ids``: the matches the caller has read already
    (organisation_search_ids), so that its page and its count agree.
    """
    text = text.strip()
    if not text:
        return None
    if ids is None:
        ids = organisation_search_ids(text=text)
    if ids is not None:
        return AnyOf(F("pk"), ids)
    return Q(pk__in=_search_matches(text))


def organisation_filter_mou_status(
    *, queryset: QuerySet[Organisation], status: str
) -> QuerySet[Organisation]:
    """The organisations holding an MoU in that state (the MoUs report's figures)."""
    return queryset.filter(
        Exists(MoU.objects.filter(organisation=OuterRef("pk"), status=status))
    )


def organisation_filter_level_in_year(
    *, queryset: QuerySet[Organisation], start: date, end: date, tier: str | None
) -> QuerySet[Organisation]:
    """The organisations associated at any time from ``start`` to ``end``: at the
    level whose code is ``tier``, or else at any level that is an association
    (the Annual Review report's figures)."""
    from tiers.models import Association

    held = Association.objects.filter(
        organisation=OuterRef("pk"), start__lte=end
    ).filter(Q(end__isnull=True) | Q(end__gte=start))
    held = (
        held.filter(tier__code=tier) if tier else held.filter(tier__is_association=True)
    )
    return queryset.filter(Exists(held))


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


def contact_list_by_address(*, addresses) -> QuerySet[Contact]:
    """The contacts at these addresses (any case), with their organisation; one query."""
    wanted = sorted({a.strip().lower() for a in addresses if a})
    return (
        Contact.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=wanted)
        .select_related("organisation")
        .order_by("organisation__name", "name", "pk")
    )
