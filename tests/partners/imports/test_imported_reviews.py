"""Past reviews brought in by an import keep the date their records give: one
held on time counts as on time in the reviews report, while a review recorded in
the workspace after its due date still cannot be dated back."""

import datetime as dt

import pytest
import time_machine

from ceop_crm.exceptions import ApplicationError
from partners.models import Organisation
from partners.reports import review_quarter_counts
from planning.models import Review
from planning.services import review_complete
from tests.partners.imports.helpers import PARTNER, outcomes, row, run

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), tick=False):
        yield


def _partner(ref: str, name: str, reviewed_on: str) -> dict:
    return row(
        Ref=ref,
        Organisation=name,
        Sector="Industry",
        **PARTNER,
        **{"Last review": reviewed_on, "Recommendation": "Stay"},
    )


def test_an_imported_review_held_on_time_counts_as_on_time(senior_manager):
    job = run(
        [
            # The second quarter of 2025/26 is reviewed in October 2025.
            _partner("T1", "Held On Time", "15/10/2025"),
            _partner("T2", "Held Late", "05/11/2025"),
        ],
        senior_manager,
    )
    assert outcomes(job) == {2: ("created", ""), 3: ("created", "")}
    on_time = Review.objects.get(
        organisation__external_ref="T1", status=Review.Status.COMPLETED
    )
    late = Review.objects.get(
        organisation__external_ref="T2", status=Review.Status.COMPLETED
    )
    assert on_time.milestone == late.milestone
    assert on_time.completed_on == dt.date(2025, 10, 15) <= on_time.due_on
    assert late.completed_on == dt.date(2025, 11, 5) > late.due_on
    assert on_time.imported
    assert late.imported
    assert on_time.conducted_by == senior_manager
    assert set(on_time.history.values_list("history_user", flat=True)) == {
        senior_manager.pk
    }

    window = review_quarter_counts(label="2025/26", today=TODAY)["windows"]["Q2"]
    assert (window["on_time"], window["late"]) == (1, 1)

    # Importing the file again changes nothing.
    again = run(
        [
            _partner("T1", "Held On Time", "15/10/2025"),
            _partner("T2", "Held Late", "05/11/2025"),
        ],
        senior_manager,
    )
    assert outcomes(again) == {2: ("skipped", ""), 3: ("skipped", "")}


def test_a_review_recorded_in_the_workspace_is_still_not_dated_back(senior_manager):
    run([_partner("T3", "Reviewed Here", "15/10/2025")], senior_manager)
    organisation = Organisation.objects.get(external_ref="T3")
    overdue = (
        Review.objects.filter(
            organisation=organisation,
            status=Review.Status.SCHEDULED,
            due_on__lt=TODAY,
        )
        .order_by("due_on")
        .first()
    )
    assert overdue is not None
    with pytest.raises(ApplicationError) as refused:
        _conduct(overdue, senior_manager, completed_on=overdue.due_on)
    assert "completed_on" in refused.value.message_dict
    done = _conduct(overdue, senior_manager)
    assert (done.completed_on, done.imported) == (TODAY, False)


def _conduct(review, actor, **kwargs):
    return review_complete(
        review=review,
        actor=actor,
        progress="On track.",
        benefits_to_ceop="Data.",
        benefits_to_partner="Recognition.",
        recommendation=Review.Recommendation.STAY,
        **kwargs,
    )
