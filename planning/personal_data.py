"""Where planning/ keeps personal data, for the data protection room (ceop_crm.privacy)."""

from django.db.models import Q

from ceop_crm.privacy.sources import PersonalDataSource
from planning.models import AddressOptOut, Reminder, SelfAssessment

Step = Reminder.Step

# Reminders whose words name nobody: the sweep writes them from an
# organisation's name and level, dates, the review's window and the MoU's
# title and the direction of a tier move, none of which the person search
# reads at its source either (tests/privacy/test_unnamed_reminders.py sweeps a
# world where every person is named and finds none of them in these). The
# person search reads the words of every other reminder (tasks, issues,
# milestones, "other" and any step added later), and only theirs are indexed
# for it (ceop_crm.privacy migration 0006): at 100,000 organisations the
# sweep writes half a million of these, and indexing words that can name
# nobody took half its time.
UNNAMED_STEPS = (
    Step.REVIEW_UPCOMING,
    Step.REVIEW_DUE,
    Step.REVIEW_OVERDUE,
    Step.REVIEW_ESCALATED,
    Step.MOU_ENDING_90,
    Step.MOU_ENDING_30,
    Step.MOU_ENDING_7,
    Step.MOU_ENDED,
    Step.DUE_DILIGENCE_ENDING_90,
    Step.DUE_DILIGENCE_ENDING_30,
    Step.DUE_DILIGENCE_ENDING_7,
    Step.ASSOCIATION_AT_RISK,
    Step.APPROVAL_WAITING,
)


def personal_data_sources() -> list[PersonalDataSource]:
    return [
        PersonalDataSource(
            key="self_assessment",
            label="Self-assessment author",
            model=SelfAssessment,
            user_fields=("submitted_by",),
            organisation="review__organisation",
            whole_row=False,
        ),
        PersonalDataSource(
            key="reminder",
            label="Reminder",
            model=Reminder,
            user_fields=("recipient",),
            text_fields=("title", "body"),
            text_searched=~Q(step__in=UNNAMED_STEPS),
            organisation=None,
            whole_row=False,
        ),
        PersonalDataSource(
            key="address_opt_out",
            label="Notices switched off (address without an account)",
            model=AddressOptOut,
            email_fields=("address",),
            organisation=None,
            delete_on_erasure=True,
        ),
    ]
