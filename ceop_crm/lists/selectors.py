from django.db.models import QuerySet

from ceop_crm.lists.models import SavedView


def saved_view_list(*, user, list_name: str) -> QuerySet[SavedView]:
    """A person's own views of one list (nobody else's)."""
    return SavedView.objects.filter(user_id=user.pk, list_name=list_name)


def saved_view_default(*, user, list_name: str) -> SavedView | None:
    return (
        saved_view_list(user=user, list_name=list_name).filter(is_default=True).first()
    )
