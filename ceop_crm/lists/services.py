"""Writes of lists: saved views (a person saves, replaces, makes default and
deletes their own) and bulk actions row by row through the single action."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
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


@dataclass
class BulkOutcome:
    done: list[Any] = field(default_factory=list)
    # (the row's label, why it was refused)
    refused: list[tuple[str, str]] = field(default_factory=list)


class _Refused(Exception):
    pass


def list_bulk_apply(
    *,
    rows: Iterable[Any],
    apply: Callable[[Any], Any],
    label: Callable[[Any], str],
    all_or_none: bool = False,
) -> BulkOutcome:
    """Apply one single-row action to each row, each in its own savepoint: a row
    the action refuses is left exactly as it was and reported with the reason;
    the others are done, with the history the single action records. With
    ``all_or_none``, one refusal undoes them all (``done`` is then empty)."""
    if all_or_none:
        try:
            with transaction.atomic():
                outcome = list_bulk_apply(rows=rows, apply=apply, label=label)
                if outcome.refused:
                    raise _Refused
        except _Refused:
            return BulkOutcome(refused=outcome.refused)
        return outcome
    outcome = BulkOutcome()
    for row in rows:
        try:
            with transaction.atomic():
                apply(row)
        except ValidationError as error:
            outcome.refused.append((label(row), " ".join(error.messages)))
        except PermissionDenied as error:
            outcome.refused.append((label(row), str(error)))
        else:
            outcome.done.append(row)
    return outcome
