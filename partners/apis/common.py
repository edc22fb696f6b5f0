"""What the partners API's modules share."""

from django.contrib.auth import get_user_model

from ceop_crm.roles import EDITOR_ROLES

User = get_user_model()


def staff_users():
    """Who may own a relationship or an issue: active relationship or senior managers."""
    return User.objects.filter(is_active=True, groups__name__in=EDITOR_ROLES).distinct()
