"""The dashboard: what needs attention today, and three plots of the strategy."""

from typing import Any

from django.db.models import Q
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from activities.selectors import task_list_for_user_due, tasks_by_when
from ceop_crm.access import StaffRequiredMixin
from ceop_crm.roles import (
    is_data_protection_officer,
    is_senior_manager,
    is_staff_member,
)
from partners.click_through import (
    coverage_urls,
    review_window_urls,
    tier_sector_urls,
)
from partners.models import Organisation, Proposal, Sector
from partners.reports import dashboard_plots
from partners.reports.figures import report_figures_version
from partners.selectors import (
    OrganisationRowsPaged,
    counts_together_shared,
    first_rows_shared,
    mou_list_ending,
    organisation_filter_at_risk,
    organisation_list,
    organisation_mine_counted,
    organisation_related_filter_mine,
    organisation_rows_first_counted,
    proposal_list,
    relationship_issue_list,
)
from planning.selectors import reminder_list_for_user, review_list_due_brief
from tiers.models import TierChange
from tiers.selectors import association_list_newest, tier_change_list

SHOW = 8
BY_NAME = ("name", "pk")


class DashboardView(StaffRequiredMixin, TemplateView):
    template_name = "staff/dashboard.html"

    def dispatch(self, request, *args, **kwargs):
        # The data protection officer has no workspace role: "/" (where sign-in
        # lands) takes them to their own room instead of a 403.
        user = request.user
        if (
            user.is_authenticated
            and not is_staff_member(user)
            and is_data_protection_officer(user)
        ):
            return redirect("privacy:search")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        # Read once, before anything the cards show: their figures and rows
        # are kept under the same version, so they agree with each other.
        version = report_figures_version()
        mine_q = Q(owner=user) | Q(deputy=user)
        listed = organisation_list(today=today)
        # Each card pages on ids (a lean query ordered by name), then reads
        # the list's figures for its few rows only.
        my_orgs = OrganisationRowsPaged(
            ids=Organisation.objects.filter(mine_q).order_by("name", "pk"),
            rows=listed,
        )
        senior = is_senior_manager(user)
        requested = self.request.GET.get("scope")

        def cards(mine: bool) -> tuple[Any, dict[str, int], str]:
            def own(queryset, prefix="organisation__"):
                if not mine:
                    return queryset
                return queryset.filter(
                    Q(**{f"{prefix}owner": user}) | Q(**{f"{prefix}deputy": user})
                )

            # The organisations at risk read from the current associations
            # (organisation_at_risk_ids), counted and listed alike.
            def at_risk():
                return organisation_filter_at_risk(
                    queryset=own(Organisation.objects.all(), prefix=""), today=today
                ).order_by(*BY_NAME)

            def proposals():
                # Only what the cards show: no priority areas of proposals.
                return (
                    proposal_list(status=Proposal.Status.SUBMITTED)
                    .select_related(None)
                    .select_related("organisation")
                    .prefetch_related(None)
                )

            def pending():
                return tier_change_list(status=TierChange.Status.PENDING)

            def lists() -> dict[str, Any]:
                return {
                    "reviews": review_list_due_brief(today=today, user=user, mine=mine),
                    "mous": own(mou_list_ending(today=today)),
                    # Only what the cards show: no owners of issues.
                    "issues": own(
                        relationship_issue_list(open_only=True)
                        .select_related(None)
                        .select_related("organisation")
                    ),
                    "proposals": proposals(),
                    "pending": pending(),
                }

            def own_counted(queryset):
                # The cards' rows of one's own organisations, counted from the
                # ids of those owned and deputised (read from indexes alone),
                # not by joining every one of them from the table.
                if not mine:
                    return queryset
                return organisation_related_filter_mine(queryset=queryset, user=user)

            def counted() -> dict[str, Any]:
                reviews_due = own_counted(review_list_due_brief(today=today))
                figures = {
                    **organisation_mine_counted(user=user),
                    "reviews": reviews_due,
                    # Overdue is due less those due today: today's few, not
                    # every overdue review read a second time.
                    "due_today": reviews_due.filter(due_on=today),
                    "mous": own_counted(mou_list_ending(today=today)),
                    "issues": own_counted(relationship_issue_list(open_only=True)),
                    "proposals": proposals(),
                }
                if senior:
                    figures["pending"] = pending()
                return figures

            # Every headline figure in one statement; the organisations are
            # counted on the bare table (the list's joins and columns add
            # nothing). Shared between requests until a change to what they
            # count commits, but for the navigation's unread count, read each
            # time (in the same statement when the others are read afresh).
            # Named by whose figures they are and which: one's own or
            # everyone's, with the pending moves or without.
            shared_as = f"dashboard:{user.pk}:{int(mine)}:{int(senior)}"
            counts = counts_together_shared(
                shared_as,
                today=today,
                shared=counted,
                live={"unread": reminder_list_for_user(user=user, unread_only=True)},
                version=version,
            )
            counts["my"] = counts.pop("my_owned") + counts.pop("my_deputised")
            counts["overdue"] = counts["reviews"] - counts.pop("due_today")
            # The organisations at risk are found once: the card's first
            # rows and their number together.
            at_risk_rows, counts["at_risk"] = organisation_rows_first_counted(
                ids=at_risk,
                ordering=BY_NAME,
                rows=listed,
                first=SHOW,
                shared_as=f"{shared_as}:at-risk",
                today=today,
                version=version,
            )

            def rows() -> dict[str, Any]:
                # The cards' querysets, built only when their rows are read.
                return {
                    name: queryset[:SHOW]
                    for name, queryset in {
                        "my_orgs": my_orgs,
                        "at_risk": at_risk_rows,
                        **lists(),
                    }.items()
                    if senior or name != "pending"
                } | {"recent_moves": association_list_newest()[:5]}

            return rows, counts, shared_as

        scope = requested or "mine"
        rows, counts, shared_as = cards(scope == "mine")
        if not requested and not counts["my"]:
            # Nothing of one's own: the default is everyone's.
            scope = "all"
            rows, counts, shared_as = cards(False)
        my_count = counts["my"]
        # The cards' rows, shared under the same name as their figures (every
        # column they show comes from a model partners.signals names); one's
        # tasks are read each time.
        shown = first_rows_shared(
            f"{shared_as}:rows", today=today, querysets=rows, version=version
        )

        plots = dashboard_plots(today=today)
        tiers, quarters, coverage = plots["tiers"], plots["quarters"], plots["coverage"]
        sectors = list(Sector.choices)
        tier_urls = tier_sector_urls(
            tiers=tiers["tiers"], sectors=[code for code, _ in sectors]
        )
        review_urls = review_window_urls(
            year=quarters["label"], windows=list(quarters["windows"])
        )
        # The figures with where each leads (a nought leads nowhere).
        review_table = [
            (
                key,
                [
                    (w[o], review_urls[key][o] if w[o] else None)
                    for o in ("due", "on_time", "late", "overdue", "upcoming")
                ],
            )
            for key, w in quarters["windows"].items()
        ]
        coverage_table = []
        for row in coverage:
            urls = coverage_urls(area_pk=row["pk"])
            coverage_table.append(
                (
                    row,
                    urls["area"],
                    [
                        (row[k], urls[k] if row[k] else None)
                        for k in ("active", "support", "organisations")
                    ],
                )
            )
        context.update(
            review_table=review_table,
            coverage_table=coverage_table,
            my_tasks=tasks_by_when(
                task_list_for_user_due(user=user, today=today), today=today
            ),
            nav_section="dashboard",
            unread_notifications=counts["unread"],
            today=today,
            scope=scope,
            my_orgs=shown["my_orgs"],
            my_count=my_count,
            at_risk=shown["at_risk"],
            at_risk_count=counts["at_risk"],
            reviews=shown["reviews"],
            reviews_count=counts["reviews"],
            overdue_count=counts["overdue"],
            mous=shown["mous"],
            mous_count=counts["mous"],
            issues=shown["issues"],
            issues_count=counts["issues"],
            proposals=shown["proposals"],
            proposals_count=counts["proposals"],
            recent_moves=shown["recent_moves"],
            show_pending=senior,
            pending=shown.get("pending", []),
            pending_count=counts.get("pending", 0),
            year_label=quarters["label"],
            chart_data={
                "tiers": {
                    "urls": tier_urls,
                    "labels": tiers["tiers"],
                    "sectors": [label for _, label in sectors],
                    "counts": [
                        [tiers["counts"].get((t, code), 0) for t in tiers["tiers"]]
                        for code, _ in sectors
                    ],
                },
                "reviews": {
                    "labels": list(quarters["windows"]),
                    "on_time": [w["on_time"] for w in quarters["windows"].values()],
                    "late": [w["late"] for w in quarters["windows"].values()],
                    "overdue": [w["overdue"] for w in quarters["windows"].values()],
                    "upcoming": [w["upcoming"] for w in quarters["windows"].values()],
                    # By dataset (on time, late, overdue, not yet due), by window.
                    "urls": [
                        [review_urls[key][o] for key in quarters["windows"]]
                        for o in ("on_time", "late", "overdue", "upcoming")
                    ],
                },
                "coverage": {
                    "labels": [f"{r['number']}. {r['title']}" for r in coverage],
                    "active": [r["active"] for r in coverage],
                    "support": [r["support"] for r in coverage],
                    "gap": [r["gap"] for r in coverage],
                    "urls": [
                        coverage_urls(area_pk=r["pk"])["active"] for r in coverage
                    ],
                },
            },
            tier_table=[
                (
                    t,
                    [
                        (tiers["counts"].get((t, code), 0), tier_urls[s][i])
                        for s, (code, _) in enumerate(sectors)
                    ],
                )
                for i, t in enumerate(tiers["tiers"])
            ],
            sectors=sectors,
            quarters=quarters,
            coverage=coverage,
            gaps=[r for r in coverage if r["gap"]],
        )
        return context
