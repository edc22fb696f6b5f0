"""Reviews per quarter: due, done on time, late."""

from datetime import date

from django.db.models import Count

from partners.click_through import links_reviews
from partners.reports.base import Report, _year
from planning.models import MilestoneKind, Review
from planning.selectors import REVIEW_OUTCOMES, review_outcome_q

# --- Reviews per quarter ------------------------------------------------------


def review_quarter_counts(*, label: str | None = None, today: date) -> dict:
    """Reviews of a planning year per monitoring window: due, on time, late, overdue."""
    label, start, end = _year(label, today)
    rows = (
        Review.objects.filter(milestone__planning_year__label=label)
        .exclude(status=Review.Status.CANCELLED)
        .values("milestone__kind", "milestone__quarter")
        .annotate(
            **{
                outcome: Count(
                    "pk", filter=review_outcome_q(outcome=outcome, today=today)
                )
                for outcome, _ in REVIEW_OUTCOMES
                if outcome != "due"
            },
            due=Count("pk"),
        )
        .order_by()
    )
    windows = {
        f"Q{q}": dict.fromkeys(("due", "on_time", "late", "overdue", "upcoming"), 0)
        for q in (1, 2, 3, 4)
    }
    windows["Annual"] = dict.fromkeys(
        ("due", "on_time", "late", "overdue", "upcoming"), 0
    )
    for row in rows:
        if row["milestone__kind"] == MilestoneKind.ANNUAL_MONITORING:
            key = "Annual"
        else:
            key = f"Q{row['milestone__quarter'] or 0}"
        bucket = windows.setdefault(
            key, dict.fromkeys(("due", "on_time", "late", "overdue", "upcoming"), 0)
        )
        for name in bucket:
            bucket[name] += row[name]
    return {"label": label, "start": start, "end": end, "windows": windows}


def report_reviews(*, today: date, year: str | None = None, **_) -> Report:
    data = review_quarter_counts(label=year, today=today)
    report = Report(
        slug="reviews",
        title=f"Reviews {data['label']}: due, done and overdue per quarter",
        description="Reviews of each monitoring window of the planning year "
        "(quarterly for Strategic Partners and Partners, annual for Official "
        "Supporters). Cancelled reviews are left out. The on-time rate counts "
        "every review due by today, completed or overdue.",
        columns=[
            "Window",
            "Due",
            "Completed on time",
            "Completed late",
            "Overdue",
            "Not yet due",
            "On time %",
        ],
        options={"year": data["label"]},
    )
    for key, c in data["windows"].items():
        # Every review due by today counts, done or not: an overdue one is not
        # on time any more than a late one.
        due_by_today = c["on_time"] + c["late"] + c["overdue"]
        rate = round(100 * c["on_time"] / due_by_today) if due_by_today else ""
        report.rows.append(
            [key, c["due"], c["on_time"], c["late"], c["overdue"], c["upcoming"], rate]
        )
        if c["overdue"]:
            report.highlight.add(len(report.rows) - 1)
    links_reviews(report)
    return report
