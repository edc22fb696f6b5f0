"""The one place where a partner user's view of the API is narrowed to their organisation."""

from django.db.models import Q, QuerySet

from ceop_crm.roles import is_partner_user, is_staff_member


def partner_organisation_id(user) -> int | None:
    """The organisation of a partner user, or None for anyone else."""
    if not is_partner_user(user):
        return None
    return user.portal_membership.organisation_id


def scope_for_user(
    queryset: QuerySet, *, user, organisation_field: str | tuple[str, ...] | None
) -> QuerySet:
    """Staff see everything; a partner user sees rows of their organisation only.

    `organisation_field` is the lookup from the model to its organisation
    ("organisation", "pk" for Organisation itself), or several lookups of which
    any may name it (a contribution's lead, or one of the organisations working
    on it); None marks reference data that every signed-in user may read.
    Anyone else sees nothing.
    """
    if is_staff_member(user):
        return queryset
    organisation_id = partner_organisation_id(user)
    if organisation_id is None:
        return queryset.none()
    if organisation_field is None:
        return queryset
    if isinstance(organisation_field, str):
        return queryset.filter(**{organisation_field: organisation_id})
    # A lookup across a to-many relation is read as a subquery of ids, so a row
    # matching twice is still listed once.
    any_of = Q()
    for lookup in organisation_field:
        if "__" in lookup:
            ids = queryset.model._base_manager.filter(**{lookup: organisation_id})
            any_of |= Q(pk__in=ids.values("pk"))
        else:
            any_of |= Q(**{lookup: organisation_id})
    return queryset.filter(any_of)
