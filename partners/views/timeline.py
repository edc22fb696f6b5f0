"""The organisation page's timeline: the relationship's events, newest first, built from the lists the page has already read."""

from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone

from partners.models import MoU
from partners.templatetags.workspace import move_label_text
from planning.models import Review

# The timeline's kind for logged activities (its filter by kind offers it).
ACTIVITY_EVENT = "Activity"


def _when(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date()
    return value


# On one day: an approach, due diligence, an MoU drafted then signed (or ended),
# a move asked then decided, the old level ending before the new one starts,
# then what the level brings; an issue raised, escalated, resolved. Keyed by
# (kind, icon, "Became …").
SAME_DAY_STEP = {
    ("Proposal", "lightbulb", False): 1,
    ("Due diligence", "shield-check", False): 2,
    ("MoU", "file-earmark-text", False): 3,
    ("MoU", "pen", False): 4,
    ("Tier move", "arrow-down-up", False): 5,
    ("Tier move", "check2-circle", False): 6,
    ("Tier move", "x-circle", False): 6,
    ("MoU", "x-octagon", False): 7,
    ("MoU", "hourglass-bottom", False): 7,
    ("Level", "diagram-3", False): 8,
    ("Level", "diagram-3", True): 9,
    # Contributions, benefits and reviews: 10.
    ("Issue", "exclamation-circle", False): 11,
    ("Issue", "arrow-up-circle", False): 12,
    ("Issue", "check-circle", False): 13,
}


def organisation_timeline(
    *,
    today: date,
    associations,
    tier_changes,
    mous,
    reviews,
    contributions,
    benefits,
    issues,
    due_diligence,
    proposals,
    may_edit: bool = False,
    organisation_id: int | None = None,
    activities=(),
) -> list[dict]:
    """Events of the relationship, newest first, from lists already read."""
    events: list[dict] = []

    def add(day, kind, icon, text, url="", tone="secondary"):
        if day is not None:
            events.append(
                {
                    "date": _when(day),
                    # Events of one day in the order they happen, whatever their kind.
                    "step": SAME_DAY_STEP.get((kind, icon, text.startswith("Became"))),
                    "kind": kind,
                    "icon": icon,
                    "text": text,
                    "url": url,
                    "tone": tone,
                }
            )

    for a in associations:
        label = (
            a.tier.name
            if a.tier.is_association
            else f"{a.tier.name} (not an association)"
        )
        add(a.start, "Level", "diagram-3", f"Became {label}", tone="primary")
        if a.end:
            add(a.end, "Level", "diagram-3", f"{a.tier.name} ended: {a.end_reason}")
    for c in tier_changes:
        label = move_label_text(c)
        url = reverse("tiers:tier_change_detail", args=[c.pk])
        add(
            c.created_at,
            "Tier move",
            "arrow-down-up",
            f"{label}: asked by {c.requested_by.get_full_name() or c.requested_by}",
            url,
        )
        if c.decided_at:
            add(
                c.decided_at,
                "Tier move",
                "check2-circle" if c.status == "approved" else "x-circle",
                f"{label}: {c.get_status_display().lower()}",
                url,
                "success" if c.status == "approved" else "danger",
            )
    for m in mous:
        url = reverse("partners:mou_detail", args=[m.pk])
        add(m.created_at, "MoU", "file-earmark-text", f"{m.title} drafted", url)
        if m.signed_on:
            add(m.signed_on, "MoU", "pen", f"{m.title} signed", url, "success")
        if m.terminated_on:
            add(
                m.terminated_on,
                "MoU",
                "x-octagon",
                f"{m.title} terminated",
                url,
                "danger",
            )
        elif m.status == MoU.Status.EXPIRED and m.end:
            add(m.end, "MoU", "hourglass-bottom", f"{m.title} expired", url, "warning")
    for r in reviews:
        url = reverse("planning:review_detail", args=[r.pk])
        if r.status == Review.Status.COMPLETED:
            late = r.completed_on > r.due_on
            add(
                r.completed_on,
                "Review",
                "clipboard-check",
                f"{r.milestone.name} review completed{' late' if late else ''}: "
                f"{r.get_recommendation_display()}",
                url,
                "warning" if late else "success",
            )
        elif r.status == Review.Status.SCHEDULED and r.due_on < today:
            add(
                r.due_on,
                "Review",
                "exclamation-triangle",
                f"{r.milestone.name} review overdue",
                url,
                "danger",
            )
    for c in contributions:
        # Contributions have no page of their own to read; the lead's editors get
        # the form. Joint support another organisation leads is changed there.
        led = organisation_id is None or c.organisation_id == organisation_id
        url = (
            reverse("partners:contribution_update", args=[c.pk])
            if may_edit and led
            else "#support"
        )
        led_by = "" if led else f", led by {c.organisation.name}"
        add(
            c.start or c.created_at,
            "Contribution",
            "gift",
            f"{c.title} ({c.get_status_display().lower()}){led_by}",
            url,
        )
    for b in benefits:
        add(
            b.delivered_on,
            "Benefit",
            "award",
            f"Benefit delivered: {b.benefit.text}",
            tone="info",
        )
    for i in issues:
        url = reverse("partners:issue_detail", args=[i.pk])
        add(
            i.raised_on,
            "Issue",
            "exclamation-circle",
            f"Issue raised: {i.title}",
            url,
            "warning",
        )
        if i.escalated_at:
            add(
                i.escalated_at,
                "Issue",
                "arrow-up-circle",
                f"{i.title} escalated to level {i.escalation_level}",
                url,
                "warning",
            )
        if i.resolved_on:
            add(
                i.resolved_on,
                "Issue",
                "check-circle",
                f"Issue resolved: {i.title}",
                url,
                "success",
            )
    for d in due_diligence:
        url = reverse("partners:due_diligence_detail", args=[d.pk])
        add(
            d.assessed_on,
            "Due diligence",
            "shield-check",
            f"Due diligence assessed ({d.get_outcome_display().lower()})",
            url,
        )
    for p in proposals:
        url = reverse("partners:proposal_detail", args=[p.pk])
        add(
            p.created_at,
            "Proposal",
            "lightbulb",
            f"Proposal: {p.title} ({p.get_status_display().lower()})",
            url,
        )
    for a in activities:
        add(
            a.occurred_at,
            ACTIVITY_EVENT,
            "chat-left-text",
            str(a),
            "#activities",
            "info",
        )
    events.sort(key=lambda e: (e["date"], e["step"] or 10), reverse=True)
    return events


def organisation_timeline_section(
    *,
    today: date,
    lists: dict[str, list],
    activities,
    may_edit: bool,
    organisation_id: int,
    kind: str = "",
) -> dict:
    """The timeline section's context: its events of one kind (or all), newest
    first, and the kinds it can show. Read by the organisation page, and again
    after an activity is logged there (htmx) so the timeline shows it."""
    events = organisation_timeline(
        today=today,
        **lists,
        may_edit=may_edit,
        activities=activities,
        organisation_id=organisation_id,
    )
    return {
        "timeline_kinds": sorted({e["kind"] for e in events}),
        "timeline_kind": kind,
        "timeline": [e for e in events if not kind or e["kind"] == kind],
    }
