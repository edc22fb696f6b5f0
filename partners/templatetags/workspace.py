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


def move_label_text(change) -> str:
    """How a tier move reads; never association wording for a supplier."""
    target = change.to_tier
    if target is None:
        return "End of the association"
    if not target.is_association:
        if change.direction == "start":
            return f"Recorded as {target.name}"
        return f"Change to {target.name} (not an association)"
    return {
        "start": f"New association as {target.name}",
        "up": f"Move up to {target.name}",
        "down": f"Move down to {target.name}",
        "same": f"Renewal as {target.name}",
    }.get(change.direction, f"Move to {target.name}")


@register.filter
def move_label(change) -> str:
    return move_label_text(change)
