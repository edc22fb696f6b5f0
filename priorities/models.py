from django.db import models
from simple_history.models import HistoricalRecords

from ceop_crm.models import TimeStampedModel


class Objective(models.Model):
    """One of CEOP's three objectives: PREVENT, PROTECT, PURSUE."""

    code = models.CharField(max_length=16, unique=True)
    description = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.code} – {self.description}"


class PriorityArea(TimeStampedModel):
    """A row of the appendix: a priority for external support."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    objectives = models.ManyToManyField(Objective, related_name="priority_areas")
    is_current = models.BooleanField(
        default=True, help_text="The strategy calls these its current priorities."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Principle(models.Model):
    """One of the eight principles of relationship management."""

    order = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    text = models.TextField()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class CentrePlanObjective(TimeStampedModel):
    """An objective of the Centre Plan for one planning year."""

    planning_year = models.ForeignKey(
        "planning.PlanningYear",
        on_delete=models.PROTECT,
        related_name="centre_plan_objectives",
    )
    code = models.CharField(max_length=16)
    title = models.CharField(max_length=300)
    objective = models.ForeignKey(
        Objective, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["planning_year__start", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["planning_year", "code"],
                name="centre_plan_objective_code_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Threat(TimeStampedModel):
    """An entry of a year's Strategic Threat Assessment."""

    planning_year = models.ForeignKey(
        "planning.PlanningYear", on_delete=models.PROTECT, related_name="threats"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    emerged_in_year = models.BooleanField(
        default=False, help_text="A new threat that emerged during the year."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-planning_year__start", "title"]

    def __str__(self) -> str:
        return self.title
