"""Writes of saved views: a person saves, replaces, makes default and deletes their own."""

from django.db import transaction
from django.http import QueryDict

from ceop_crm.exceptions import ApplicationError, full_clean
from ceop_crm.lists.models import SavedView

# What a view keeps of the list's query string: never the page, nor an export.
NOT_KEPT = ("page", "format", "view")


def clean_query(query: str) -> str:
    params = QueryDict(query, mutable=True)
    for name in NOT_KEPT:
        params.pop(name, None)
    return params.urlencode()


@transaction.atomic
def saved_view_save(
    *, user, list_name: str, name: str, query: str, is_default: bool = False
) -> SavedView:
    """Save (or replace, by name) a view of a list; a new default replaces the old."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError({"name": ["Give the view a name."]})
    view, _ = SavedView.objects.select_for_update().get_or_create(
        user=user, list_name=list_name, name=name
    )
    if is_default:
        SavedView.objects.filter(
            user=user, list_name=list_name, is_default=True
        ).exclude(pk=view.pk).update(is_default=False)
    view.query = clean_query(query)
    view.is_default = is_default
    full_clean(view)
    view.save()
    return view


@transaction.atomic
def saved_view_delete(*, user, pk: int) -> None:
    deleted, _ = SavedView.objects.filter(user=user, pk=pk).delete()
    if not deleted:
        raise ApplicationError("No such saved view of yours.")
