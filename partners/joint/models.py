"""An organisation taking part in a contribution another organisation leads."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class ContributionParty(models.Model):
    """``organisation`` works with the lead organisation on ``contribution``."""

    contribution = models.ForeignKey(
        "partners.Contribution", on_delete=models.CASCADE, related_name="parties"
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="joint_contributions",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contribution", "organisation__name", "pk"]
        verbose_name = "organisation working with the lead"
        verbose_name_plural = "organisations working with the lead"
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "organisation"],
                name="one_party_per_contribution_and_organisation",
                violation_error_message=(
                    "This organisation already takes part in the contribution."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} with {self.contribution}"
