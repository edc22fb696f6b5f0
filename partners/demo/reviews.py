"""Reviews of the demo associations: last year's as history, this year's scheduled and partly done."""

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Mod
from django.db.models.lookups import Exact, GreaterThanOrEqual
from django.utils import timezone

from partners.demo import texts
from partners.demo.base import DemoBase, days
from partners.models import Organisation
from planning.models import Milestone, MilestoneKind, Review, SelfAssessment
from planning.services import review_windows, windows_wanted
from tiers.models import MonitoringFrequency


class ReviewsMixin(DemoBase):
    """Reviews, as reviews_schedule would schedule them, with their outcomes."""

    def reviews(self, organisations: list[Organisation]) -> None:
        """Past reviews as history, this year's scheduled, past-due ones mostly done.

        Reviews of past windows (last year's, and this year's of associations
        that have ended) are written as history; the current associations'
        reviews of this year and the next are those reviews_schedule would
        make (the same windows, by the same rule: running it afterwards
        changes nothing), written with the others rather than built by it one
        model instance and one history instance at a time.
        """
        today = self.today
        owners = {o.pk: o.owner for o in organisations}
        windows = list(
            Milestone.objects.filter(
                planning_year__in=[self.previous_year, self.current_year],
                kind__in=[
                    MilestoneKind.QUARTERLY_MONITORING,
                    MilestoneKind.ANNUAL_MONITORING,
                ],
            ).order_by("date", "pk")
        )
        frequency_kind = {
            MonitoringFrequency.QUARTERLY: MilestoneKind.QUARTERLY_MONITORING,
            MonitoringFrequency.ANNUAL: MilestoneKind.ANNUAL_MONITORING,
        }
        past: list[Review] = []
        org_ids = {o.pk for o in organisations}
        for association in self.associations:
            if association.organisation_id not in org_ids:
                continue
            kind = frequency_kind.get(association.tier.monitoring_frequency)
            for window in windows:
                closes = window.closes_on
                if (
                    window.planning_year_id == self.current_year.pk
                    and association.end is None
                ):
                    continue  # reviews_schedule's to make
                if (
                    window.kind == kind
                    and closes < today
                    and association.start <= closes
                    and (association.end is None or closes <= association.end)
                ):
                    past.append(
                        self.make(
                            Review,
                            organisation_id=association.organisation_id,
                            association=association,
                            milestone=window,
                            due_on=closes,
                        )
                    )
        # Long-past reviews are all done; those of a window just closed, mostly.
        recent = today - days(90)
        self.complete([r for r in past if r.due_on < recent], owners, share=1)
        self.complete([r for r in past if r.due_on >= recent], owners, share=0.7)
        self.rows[Review] = past + self.scheduled(org_ids, past)
        self.write(Review)
        ours = Review.objects.all()
        if self.had_organisations:
            ours = ours.filter(organisation_id__in=org_ids)
        done = self.complete_past_due(ours)
        self.counts["reviews"] = ours.count()
        self.counts["reviews completed"] = len(done) + sum(
            r.status == Review.Status.COMPLETED for r in past
        )
        self.counts["reviews overdue"] = ours.filter(
            status=Review.Status.SCHEDULED, due_on__lt=today
        ).count()
        self.self_assessments(past + done)

    def scheduled(self, org_ids: set[int], past: list[Review]) -> list[Review]:
        """The reviews reviews_schedule would make for the current associations."""
        windows = review_windows(today=self.today)
        done = {
            (r.organisation_id, r.milestone_id)
            for r in past
            if r.status == Review.Status.COMPLETED
        }
        return [
            self.make(
                Review,
                organisation_id=association.organisation_id,
                association=association,
                milestone=window,
                due_on=window.closes_on,
            )
            for association in self.associations
            if association.end is None and association.organisation_id in org_ids
            for window in windows_wanted(association, windows)
            if (association.organisation_id, window.pk) not in done
        ]

    def complete_past_due(self, ours: models.QuerySet[Review]) -> list[Review]:
        """Complete about three in four of this year's past-due reviews, in the database.

        One UPDATE instead of a bulk_update of every row (which Django builds as a
        CASE per row and field, too slow at 10,000 organisations); the review's id
        spreads the dates, texts and recommendations.
        """
        today = self.today
        due = ours.filter(
            status=Review.Status.SCHEDULED,
            due_on__lt=today,
            milestone__planning_year=self.current_year,
        )
        windows = list(Milestone.objects.filter(pk__in=due.values("milestone_id")))
        if not windows:
            return []

        def spread(values: Iterable[Any], field: models.Field) -> Case:
            values = list(values)
            return Case(
                *(
                    When(Exact(Mod("id", len(values)), i), then=Value(v))
                    for i, v in enumerate(values)
                ),
                default=Value(values[0]),
                output_field=field,
            )

        completed_on = Case(
            *(
                When(
                    Q(milestone_id=w.pk) & Exact(Mod("id", 4), i),
                    then=Value(max(w.date, min(w.closes_on, today) - days(offset))),
                )
                for w in windows
                for i, offset in enumerate((0, 4, 9, 15))
            ),
            output_field=models.DateField(),
        )
        owner = Organisation.objects.filter(pk=OuterRef("organisation_id")).values(
            "owner_id"
        )[:1]
        recommendation = Review.Recommendation
        # The id alone would not spread them: an organisation reviewed quarterly
        # gets eight reviews (two years), so a window's reviews share an id
        # remainder; adding the organisation's id leaves a quarter of each undone.
        left_undone = Mod(F("id") + F("organisation_id"), 4)
        due.filter(GreaterThanOrEqual(left_undone, 1)).update(
            status=Review.Status.COMPLETED,
            completed_on=completed_on,
            conducted_by_id=Coalesce(Subquery(owner), Value(self.staff[0].pk)),
            progress=spread(texts.REVIEW_PROGRESS, models.TextField()),
            benefits_to_ceop=spread(texts.REVIEW_BENEFITS_CEOP, models.TextField()),
            benefits_to_partner=spread(
                texts.REVIEW_BENEFITS_PARTNER, models.TextField()
            ),
            recommendation=spread(
                [recommendation.STAY] * 16
                + [recommendation.MOVE_UP] * 2
                + [recommendation.MOVE_DOWN],
                models.CharField(),
            ),
            updated_at=timezone.now(),
        )
        done = ours.filter(
            status=Review.Status.COMPLETED,
            milestone__planning_year=self.current_year,
            association__end__isnull=True,  # the scheduled ones, not the history
        )
        self.history(done, history_type="~")
        return list(done.select_related("milestone"))

    def complete(
        self, reviews: list[Review], owners: dict, share: float
    ) -> list[Review]:
        rng, today = self.rng, self.today
        done = []
        recommendations = Review.Recommendation
        moved_to = {
            a.organisation_id: a.tier for a in self.associations if a.end is None
        }
        for review in reviews:
            if not self.chance(share):
                continue
            window = review.milestone
            review.status = Review.Status.COMPLETED
            review.completed_on = self.between(window.date, min(review.due_on, today))
            review.conducted_by = owners.get(review.organisation_id) or rng.choice(
                self.staff
            )
            review.progress = rng.choice(texts.REVIEW_PROGRESS)
            review.benefits_to_ceop = rng.choice(texts.REVIEW_BENEFITS_CEOP)
            review.benefits_to_partner = rng.choice(texts.REVIEW_BENEFITS_PARTNER)
            association, later = (
                review.association,
                moved_to.get(review.organisation_id),
            )
            if association.end is not None and later is not None:
                # The reviews of an association that gave way to another led to it.
                review.recommendation = (
                    recommendations.MOVE_UP
                    if later.rank > association.tier.rank
                    else recommendations.MOVE_DOWN
                )
            else:
                review.recommendation = rng.choices(
                    (
                        recommendations.STAY,
                        recommendations.MOVE_UP,
                        recommendations.MOVE_DOWN,
                    ),
                    (16, 2, 1),
                )[0]
            done.append(review)
        return done

    def self_assessments(self, reviews: list[Review]) -> None:
        rows = [
            SelfAssessment(
                review=review,
                status=SelfAssessment.Status.SUBMITTED,
                submitted_at=self.moment(
                    max(
                        review.milestone.date,
                        review.completed_on - days(self.rng.randint(0, 7)),
                    ),
                    11,
                ),
                **texts.SELF_ASSESSMENT,
            )
            for review in reviews
            if review.status == Review.Status.COMPLETED and self.chance(0.5)
        ]
        self.rows[SelfAssessment] = rows
        self.write(SelfAssessment)
