"""Forms of email preferences and scheduled-report subscriptions."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from ceop_crm.roles import STAFF_ROLES
from planning.email_models import LOCKED_KINDS, Delivery, NoticeKind, ReportFrequency


class NotificationPreferenceForm(forms.Form):
    """One choice per kind of notice; escalations and approvals offer no app-only."""

    def __init__(
        self, *args, current: dict[str, str], staff: bool = True, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in NoticeKind.choices:
            if kind == NoticeKind.APPROVALS and not staff:
                continue  # only senior managers decide
            choices = [
                c
                for c in Delivery.choices
                if not (kind in LOCKED_KINDS and c[0] == "app")
            ]
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=choices,
                widget=forms.RadioSelect,
                initial=current.get(kind),
                help_text="Cannot be switched off." if kind in LOCKED_KINDS else "",
            )


class ReportSubscriptionForm(forms.Form):
    report = forms.ChoiceField(choices=())
    frequency = forms.ChoiceField(choices=ReportFrequency.choices)
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Send to a person",
    )
    group = forms.ModelChoiceField(
        queryset=Group.objects.filter(name__in=STAFF_ROLES).order_by("name"),
        required=False,
        label="or to a staff group",
    )

    def __init__(self, *args, report_choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = report_choices
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=STAFF_ROLES)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        self.fields["user"].label_from_instance = lambda u: (
            u.get_full_name() or u.get_username()
        )


class EmailSettingsForm(forms.Form):
    """The team's reply-to mailbox; the service validates and records it."""

    reply_to_address = forms.EmailField(
        label="Reply-to address",
        required=False,
        max_length=254,
        help_text="Replies to reminders, digests, self-assessment notices and "
        "scheduled reports reach this mailbox. Leave empty to use the default.",
    )
    reply_to_name = forms.CharField(
        label="Display name",
        required=False,
        max_length=100,
        help_text="Shown beside the address, e.g. CEOP Partnerships team.",
    )


class AddressChoicesForm(forms.Form):
    """One box per kind an address without an account may receive; escalations
    are shown ticked and cannot be cleared."""

    def __init__(self, *args, current: dict[str, bool], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in current:
            locked = kind in LOCKED_KINDS
            self.fields[kind] = forms.BooleanField(
                label=NoticeKind(kind).label,
                required=False,
                initial=current[kind],
                disabled=locked,
                help_text="Cannot be switched off." if locked else "",
            )
