"""Users in admin: end a user's sessions, reset a lost second factor."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceop_crm.admin_scale import LargeTableAdminMixin, register_again
from ceop_crm.auth.services import second_factor_reset, user_sessions_end

User = get_user_model()


@admin.action(description="Sign out of every session")
def sessions_end(modeladmin, request, queryset) -> None:
    ended = sum(user_sessions_end(user=user) for user in queryset)
    messages.success(
        request, f"Ended {ended} session(s) of {queryset.count()} user(s)."
    )


@admin.action(description="Reset the second factor (lost phone) and sign out")
def second_factor_reset_action(modeladmin, request, queryset) -> None:
    for user in queryset:
        second_factor_reset(user=user)
    messages.success(
        request,
        f"{queryset.count()} user(s) will set up an authenticator app at their next sign-in.",
    )


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(LargeTableAdminMixin, DjangoUserAdmin):
    actions = [sessions_end, second_factor_reset_action]
    search_fields = ["username", "first_name", "last_name", "=email"]


register_again(Group, GroupAdmin)
# Sign-in records (django-axes) grow with every failed sign-in: searched by
# the indexed username and address, filtered by date instead of a hierarchy.
for _model, _admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
    (AccessLog, AccessLogAdmin),
):
    register_again(
        _model,
        _admin,
        search_fields=["username", "ip_address"],
        list_filter=["attempt_time"],
    )


# Authenticator keys and recovery codes are secrets: not listed in admin.
# The action above resets them.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
