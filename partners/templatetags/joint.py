"""Template filters of joint support, shared by the workspace and the portal."""

from django import template

from partners.joint.selectors import worked_with as _worked_with

register = template.Library()


@register.filter
def worked_with(contribution, organisation_id: int) -> list:
    """The other organisations of a contribution seen from ``organisation_id``,
    its lead first (from prefetched rows: names only)."""
    return _worked_with(contribution, organisation_id)
