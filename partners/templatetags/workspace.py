"""Template filters of the staff workspace."""

from django import template

register = template.Library()


@register.filter
def person(user, empty: str = "—") -> str:
    """A user's full name, else username; `empty` when there is no user."""
    if user is None:
        return empty
    return user.get_full_name() or user.get_username()


@register.filter
def is_number(value) -> bool:
    """For right-aligning figures in report tables."""
    return isinstance(value, int | float) and not isinstance(value, bool)
