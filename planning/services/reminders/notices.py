"""What is due today, subject by subject: each finder reads only what it needs
and skips subjects whose step is recorded already."""

import datetime as dt
from collections import defaultdict
from functools import partial

from django.db.models import (
    Case,
    Exists,
    Max,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from partners.models import (
    DueDiligence,
    MoU,
    Organisation,
    OwnershipLevel,
    RelationshipIssue,
)
from planning.models import (
    Milestone,
    Review,
)
from planning.services.reminders.base import (
    DUE_DILIGENCE_STEPS,
    MOU_STEPS,
    Notice,
    Step,
    _in,
    _recorded,
)
from planning.services.reminders.texts import (
    _at_risk_texts,
    _due_diligence_texts,
    _mou_texts,
    _review_texts,
    _uk,
)
from tiers.models import Association

# Who owns the organisation of a row, read beside it.
OWNER_COLUMNS = (
    "organisation_id",
    "organisation__name",
    "organisation__owner_id",
    "organisation__owner__is_active",
    "organisation__deputy_id",
    "organisation__deputy__is_active",
)


def _ending_step(left: int, times, steps: tuple) -> str:
    """First, second or final notice of something ending in ``left`` days."""
    _, second, final = times.mou_ending
    return steps[2] if left <= final else steps[1] if left <= second else steps[0]


def _ending_case(field: str, today: dt.date, times, steps: tuple) -> Case:
    """``_ending_step`` in SQL, on a date column."""
    _, second, final = times.mou_ending
    return Case(
        When(
            **{f"{field}__lte": today + dt.timedelta(days=final)},
            then=Value(steps[2]),
        ),
        When(
            **{f"{field}__lte": today + dt.timedelta(days=second)},
            then=Value(steps[1]),
        ),
        default=Value(steps[0]),
    )


def _escalation_levels(org_ids: set[int]) -> dict[int, dict[int, list[OwnershipLevel]]]:
    """Per organisation, the ownership hierarchy (level -> people) of its latest signed MoU."""
    if not org_ids:
        return {}
    latest: dict[int, int] = {}
    for mou_id, org_id in (
        MoU.objects.filter(
            organisation_id__in=_in(org_ids),
            status__in=[MoU.Status.SIGNED, MoU.Status.EXPIRED],
        )
        .order_by("organisation_id", "-end", "-pk")
        .values_list("pk", "organisation_id")
    ):
        latest.setdefault(org_id, mou_id)
    org_of = {mou_id: org_id for org_id, mou_id in latest.items()}
    levels: dict[int, dict[int, list[OwnershipLevel]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for level in OwnershipLevel.objects.filter(mou_id__in=_in(org_of)).order_by(
        "level", "side"
    ):
        levels[org_of[level.mou_id]][level.level].append(level)
    return levels


def _review_notices(today, times, paths, pending) -> list[tuple[Notice, int]]:
    start = today - dt.timedelta(days=times.escalated + times.catch_up)
    end = today + dt.timedelta(days=times.upcoming)
    step_now = Case(
        When(due_on__gt=today, then=Value(Step.REVIEW_UPCOMING)),
        When(
            due_on__gt=today - dt.timedelta(days=times.overdue),
            then=Value(Step.REVIEW_DUE),
        ),
        When(
            due_on__gt=today - dt.timedelta(days=times.escalated),
            then=Value(Step.REVIEW_OVERDUE),
        ),
        default=Value(Step.REVIEW_ESCALATED),
    )
    rows = (
        Review.objects.filter(
            status=Review.Status.SCHEDULED, due_on__gte=start, due_on__lte=end
        )
        .annotate(step_now=step_now)
        .exclude(_recorded("review", OuterRef("step_now")))
        .order_by("due_on", "pk")
        .values_list(
            "pk",
            "due_on",
            *OWNER_COLUMNS,
            "milestone__name",
        )
    )
    notices = []
    for (
        pk,
        due,
        org_id,
        org_name,
        owner_id,
        owner_active,
        deputy_id,
        deputy_active,
        window,
    ) in rows:
        days = (today - due).days
        if days < 0:
            step = Step.REVIEW_UPCOMING
        elif days < times.overdue:
            step = Step.REVIEW_DUE
        elif days < times.escalated:
            step = Step.REVIEW_OVERDUE
        else:
            step = Step.REVIEW_ESCALATED
        notice = Notice(
            step=step,
            subject_type="review",
            subject_id=pk,
            make_texts=partial(_review_texts, step, org_name, window, due, days),
            due_on=due,
            staff_path=paths.staff_review(pk),
            partner_path=paths.portal_review(pk),
        )
        if step == Step.REVIEW_ESCALATED:
            pending["escalation_orgs"].add(org_id)
        else:
            notice.users |= {
                u
                for u, active in ((owner_id, owner_active), (deputy_id, deputy_active))
                if u and active
            }
            pending["partner_orgs"].add(org_id)
        notices.append((notice, org_id))
    return notices


def _mou_notices(today, times, paths, pending) -> list[tuple[Notice, int]]:
    first = times.mou_ending[0]
    step_now = Case(
        When(end__lt=today, then=Value(Step.MOU_ENDED)),
        default=_ending_case("end", today, times, MOU_STEPS),
    )
    rows = (
        MoU.objects.filter(
            status__in=[MoU.Status.SIGNED, MoU.Status.EXPIRED],
            end__gte=today - dt.timedelta(days=times.catch_up),
            end__lte=today + dt.timedelta(days=first),
        )
        .annotate(step_now=step_now)
        .exclude(_recorded("mou", OuterRef("step_now")))
        .order_by("end", "pk")
        .values_list(
            "pk",
            "title",
            "end",
            "status",
            *OWNER_COLUMNS,
        )
    )
    rows = list(rows)
    # Renewed: another signed MoU of the organisation runs past this one's end.
    latest_signed_end = dict(
        MoU.objects.filter(
            organisation_id__in=_in({row[4] for row in rows}),
            status=MoU.Status.SIGNED,
        )
        .values("organisation_id")
        .annotate(latest=Max("end"))
        .values_list("organisation_id", "latest")
    )
    notices = []
    for (
        pk,
        title,
        end,
        status,
        org_id,
        org_name,
        owner_id,
        owner_active,
        deputy_id,
        deputy_active,
    ) in rows:
        latest = latest_signed_end.get(org_id)
        if latest is not None and latest > end:
            continue
        left = (end - today).days
        if left < 0:
            step = Step.MOU_ENDED
        elif status != MoU.Status.SIGNED:
            continue
        else:
            step = _ending_step(left, times, MOU_STEPS)
        notice = Notice(
            step=step,
            subject_type="mou",
            subject_id=pk,
            make_texts=partial(_mou_texts, step, title, org_name, end, left),
            due_on=end,
            staff_path=paths.staff_mou(pk),
            partner_path=paths.portal_organisation,
        )
        notice.users |= {
            u
            for u, active in ((owner_id, owner_active), (deputy_id, deputy_active))
            if u and active
        }
        pending["partner_orgs"].add(org_id)
        notices.append((notice, org_id))
    return notices


def _milestone_notices(today, times, paths) -> list[tuple[Notice, str]]:
    longest = max(
        Milestone.objects.order_by("-reminder_lead_days")
        .values_list("reminder_lead_days", flat=True)
        .first()
        or 0,
        0,
    )
    rows = (
        Milestone.objects.filter(
            date__gte=today, date__lte=today + dt.timedelta(days=longest)
        )
        .exclude(_recorded("milestone", Step.MILESTONE_UPCOMING))
        .order_by("date", "pk")
    )
    notices = []
    for milestone in rows:
        if (milestone.date - today).days > milestone.reminder_lead_days:
            continue
        when = "today" if milestone.date == today else f"on {_uk(milestone.date)}"
        body = milestone.description or milestone.name
        if milestone.end_date:
            body = f"From {_uk(milestone.date)} to {_uk(milestone.end_date)}. {body}"
        notice = Notice(
            step=Step.MILESTONE_UPCOMING,
            subject_type="milestone",
            subject_id=milestone.pk,
            make_texts=partial(lambda t, b: (t, b), f"{milestone.name} {when}", body),
            due_on=milestone.date,
            staff_path=paths.staff_home,
            partner_path=paths.portal_home,
        )
        notices.append((notice, milestone))
    return notices


def _issue_notices(today, times, paths, pending) -> list[tuple[Notice, int]]:
    issues = list(
        RelationshipIssue.objects.filter(status=RelationshipIssue.Status.OPEN)
        .select_related("organisation")
        .order_by("pk")
    )
    if not issues:
        return []
    org_ids = {i.organisation_id for i in issues}
    pending["hierarchy"] = _escalation_levels(org_ids | pending["escalation_orgs"])
    notices = []
    for issue in issues:
        levels = pending["hierarchy"].get(issue.organisation_id, {})
        at_level = levels.get(issue.escalation_level, [])
        days = (
            min(level.days_to_resolve for level in at_level)
            if at_level
            else times.issue_default
        )
        since = (
            timezone.localtime(issue.escalated_at).date()
            if issue.escalated_at
            else issue.raised_on
        )
        deadline = since + dt.timedelta(days=days)
        if not deadline < today <= deadline + dt.timedelta(days=times.catch_up):
            continue
        org = issue.organisation
        notice = Notice(
            step=Step.ISSUE_ESCALATION,
            # One reminder per level: an issue escalated again can be late again.
            subject_type=f"issue-level-{issue.escalation_level}",
            subject_id=issue.pk,
            make_texts=partial(
                lambda t, b: (t, b),
                f"{org.name}: issue unresolved past its deadline",
                f"“{issue.title}” has been open at escalation level "
                f"{issue.escalation_level} since {_uk(since)}; its deadline was "
                f"{_uk(deadline)}. Resolve it or escalate it to the next level.",
            ),
            due_on=deadline,
            staff_path=paths.staff_issue(issue.pk),
            partner_path=paths.portal_home,
        )
        notice.users |= {u for u in (issue.owner_id, org.owner_id, org.deputy_id) if u}
        for level in levels.get(issue.escalation_level + 1, []):
            if level.email:
                notice.addresses.setdefault(level.email, level.name)
        notices.append((notice, org.pk))
    return notices


def _staff(*pairs) -> set[int]:
    """The active users among (id, is_active) pairs."""
    return {user for user, active in pairs if user and active}


def _due_diligence_notices(today, times, paths) -> list[tuple[Notice, int]]:
    """Approved due diligence of a current association expiring at the MoU steps.

    Superseded due diligence (a later approved one runs past it) needs none.
    """
    first = times.mou_ending[0]
    step_now = _ending_case("expires_on", today, times, DUE_DILIGENCE_STEPS)
    associated = Association.objects.filter(
        organisation=OuterRef("organisation"),
        end__isnull=True,
        tier__is_association=True,
    )
    superseded = DueDiligence.objects.filter(
        organisation=OuterRef("organisation"),
        outcome=DueDiligence.Outcome.APPROVED,
        expires_on__gt=OuterRef("expires_on"),
    )
    rows = (
        DueDiligence.objects.filter(
            outcome=DueDiligence.Outcome.APPROVED,
            assessed_on__lte=today,
            expires_on__gt=today,
            expires_on__lte=today + dt.timedelta(days=first),
        )
        .filter(Exists(associated))
        .exclude(Exists(superseded))
        .annotate(step_now=step_now)
        .exclude(_recorded("due_diligence", OuterRef("step_now")))
        .order_by("expires_on", "pk")
        .values_list(
            "pk",
            "expires_on",
            *OWNER_COLUMNS,
        )
    )
    notices = []
    for pk, expires, org_id, org_name, owner, owner_on, deputy, deputy_on in rows:
        left = (expires - today).days
        step = _ending_step(left, times, DUE_DILIGENCE_STEPS)
        notice = Notice(
            step=step,
            subject_type="due_diligence",
            subject_id=pk,
            make_texts=partial(_due_diligence_texts, org_name, expires, left),
            due_on=expires,
            staff_path=paths.staff_due_diligence(pk),
            partner_path=paths.portal_home,
        )
        notice.users |= _staff((owner, owner_on), (deputy, deputy_on))
        notices.append((notice, org_id))
    return notices


def _at_risk_notices(today, paths) -> list[tuple[Notice, int]]:
    """Associations no longer meeting their level's conditions (partners' selector).

    One reminder per organisation, reason and lapse: the subject names the day
    the MoU or due diligence lapsed, so a later lapse is told again. Senior
    managers are added by the caller; nothing is demoted.
    """
    from partners.selectors import (
        organisation_annotate_at_risk,
        organisation_filter_at_risk,
    )

    lapsed_mou = (
        MoU.objects.filter(
            organisation=OuterRef("pk"),
            status__in=[
                MoU.Status.SIGNED,
                MoU.Status.EXPIRED,
                MoU.Status.TERMINATED,
            ],
            end__lt=today,
        )
        .order_by("-end")
        .values("end")[:1]
    )
    lapsed_due_diligence = (
        DueDiligence.objects.filter(
            organisation=OuterRef("pk"),
            outcome=DueDiligence.Outcome.APPROVED,
            expires_on__lte=today,
        )
        .order_by("-expires_on")
        .values("expires_on")[:1]
    )
    at_risk = organisation_filter_at_risk(
        queryset=Organisation.objects.all(), today=today
    )
    rows = (
        organisation_annotate_at_risk(queryset=at_risk, today=today)
        .annotate(
            current_tier=Subquery(
                Association.objects.filter(
                    organisation=OuterRef("pk"), end__isnull=True
                ).values("tier__name")[:1]
            ),
            mou_lapsed_on=Subquery(lapsed_mou),
            due_diligence_lapsed_on=Subquery(lapsed_due_diligence),
        )
        .order_by("pk")
        .values_list(
            "pk",
            "name",
            "current_tier",
            "owner_id",
            "owner__is_active",
            "deputy_id",
            "deputy__is_active",
            "at_risk_mou",
            "mou_lapsed_on",
            "at_risk_due_diligence",
            "due_diligence_lapsed_on",
        )
    )
    notices = []
    for (
        org_id,
        org_name,
        tier,
        owner,
        owner_on,
        deputy,
        deputy_on,
        *reasons,
    ) in rows:
        for reason, (at_risk, since) in zip(
            ("mou", "due_diligence"), (reasons[:2], reasons[2:]), strict=True
        ):
            if not at_risk:
                continue
            lapse = since.strftime("%Y%m%d") if since else "none"
            notice = Notice(
                step=Step.ASSOCIATION_AT_RISK,
                subject_type=f"at-risk-{reason}-{lapse}"[:32],
                subject_id=org_id,
                make_texts=partial(_at_risk_texts, reason, org_name, tier, since),
                due_on=since,
                staff_path=paths.staff_organisation(org_id),
                partner_path=paths.portal_home,
            )
            notice.users |= _staff((owner, owner_on), (deputy, deputy_on))
            notices.append((notice, org_id))
    return notices
