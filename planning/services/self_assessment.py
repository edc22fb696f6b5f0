"""The partner's self-assessment of a review: drafted, then submitted in the portal.

A submitted self-assessment is read-only; the organisation's relationship
manager is told by email and reads it beside the review.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ceop_crm.exceptions import ApplicationError
from ceop_crm.mail import absolute_url, email_queue
from planning.models import Review, SelfAssessment

SELF_ASSESSMENT_FIELDS = (
    "progress",
    "benefits_received",
    "benefits_given",
    "improvements",
)
SELF_ASSESSMENT_MAX_CHARS = 5000


def _open_review(review: Review) -> Review:
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("organisation__owner")
        .get(pk=review.pk)
    )
    if review.status != Review.Status.SCHEDULED:
        raise ApplicationError(
            f"This review is {review.get_status_display().lower()}; its self-assessment can no longer be changed."
        )
    return review


def _clean_answers(answers: dict[str, str]) -> dict[str, str]:
    unknown = set(answers) - set(SELF_ASSESSMENT_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown answers: {', '.join(sorted(unknown))}.")
    cleaned = {
        name: (answers.get(name) or "").strip() for name in SELF_ASSESSMENT_FIELDS
    }
    too_long = {
        name: [f"Keep this answer under {SELF_ASSESSMENT_MAX_CHARS} characters."]
        for name, value in cleaned.items()
        if len(value) > SELF_ASSESSMENT_MAX_CHARS
    }
    if too_long:
        raise ApplicationError(too_long)
    return cleaned


@transaction.atomic
def self_assessment_save_draft(
    *, review: Review, actor: AbstractBaseUser, **answers: str
) -> SelfAssessment:
    """Save the partner's answers as a draft; a submitted one is read-only."""
    review = _open_review(review)
    cleaned = _clean_answers(answers)
    assessment = SelfAssessment.objects.select_for_update().filter(
        review=review
    ).first() or SelfAssessment(review=review)
    if assessment.status == SelfAssessment.Status.SUBMITTED:
        raise ApplicationError(
            "This self-assessment has been submitted and can no longer be changed."
        )
    for name, value in cleaned.items():
        setattr(assessment, name, value)
    assessment._history_user = actor
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def self_assessment_submit(
    *, review: Review, actor: AbstractBaseUser, **answers: str
) -> SelfAssessment:
    """Submit the self-assessment (every answer given); the owner is told by email."""
    assessment = self_assessment_save_draft(review=review, actor=actor, **answers)
    missing = {
        name: ["Answer this question before submitting."]
        for name in SELF_ASSESSMENT_FIELDS
        if not getattr(assessment, name)
    }
    if missing:
        raise ApplicationError(missing)
    assessment.status = SelfAssessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = actor
    assessment._history_user = actor
    assessment.full_clean()
    assessment.save()
    review = assessment.review
    owner = review.organisation.owner
    if owner is not None and owner.email:
        from planning.services.preferences import list_headers, preferences_url

        email_queue(
            to=[owner.email],
            subject=f"Self-assessment submitted by {review.organisation.name}",
            template="self_assessment_submitted",
            context={
                "organisation": review.organisation.name,
                "review": review.milestone.name,
                "due_on": review.due_on.strftime("%d/%m/%Y"),
                "submitted_by": actor.get_full_name() or actor.get_username(),
                "review_url": absolute_url(
                    reverse("planning:review_detail", args=[review.pk])
                ),
                "preferences_url": preferences_url(user=owner),
            },
            # No unsubscribe: the owner must hear of a submitted assessment.
            headers=list_headers(user=owner, kind=None),
        )
    return assessment
