from django.http import HttpRequest

from ceop_crm import roles as role_rules


def roles(request: HttpRequest) -> dict:
    """Role flags for templates (to hide buttons; the views enforce access)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_staff_member": False, "can_edit": False, "is_senior_manager": False}
    return {
        "is_staff_member": role_rules.is_staff_member(user),
        "can_edit": role_rules.can_edit(user),
        "is_senior_manager": role_rules.is_senior_manager(user),
        "is_partner_user": role_rules.is_partner_user(user),
        "is_data_protection_officer": role_rules.is_data_protection_officer(user),
    }
