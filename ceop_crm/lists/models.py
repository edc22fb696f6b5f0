from django.conf import settings
from django.db import models
from django.db.models import Q


class SavedView(models.Model):
    """A person's named list view: the list's query string (filters, sort, columns)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    list_name = models.CharField(max_length=40)
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=1000, blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "list_name", "name"], name="saved_view_name_once"
            ),
            models.UniqueConstraint(
                fields=["user", "list_name"],
                condition=Q(is_default=True),
                name="saved_view_one_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name
