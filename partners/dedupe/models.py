"""The record of a merge: who merged which duplicate into which organisation, when."""

from django.conf import settings
from django.db import models


class OrganisationMerge(models.Model):
    """Organisation ``merged`` was merged into ``target``; ``merged`` stays as a pointer."""

    target = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="merges_received",
    )
    merged = models.OneToOneField(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="merge_record",
    )
    merged_name = models.CharField(max_length=200)
    # The duplicate's own fields as they were just before the merge.
    merged_fields = models.JSONField(default=dict, blank=True)
    # What moved: {"contacts": [ids], "mous": [ids], ...}.
    moved = models.JSONField(default=dict, blank=True)
    # How each conflict was resolved, in words.
    resolutions = models.JSONField(default=list, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField()

    class Meta:
        ordering = ["-merged_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.merged_name} merged into {self.target}"
