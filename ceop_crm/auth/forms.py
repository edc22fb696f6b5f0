"""Forms of the sign-in pages: second-factor codes, counted password changes,
password-reset mail through the project's queue."""

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.urls import reverse

from ceop_crm.auth.lockout import password_check_allowed, password_check_failed
from ceop_crm.mail import email_queue


class CodeForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
    )

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split()).lower()


class SecondFactorVerifyForm(CodeForm):
    token = forms.CharField(
        label="Code from your authenticator app, or a recovery code",
        max_length=32,
        widget=CodeForm.base_fields["token"].widget,
    )


class CountedPasswordChangeForm(PasswordChangeForm):
    """A wrong current password counts as a failed sign-in (django-axes), so the
    change page cannot be used to guess a signed-in user's password."""

    def __init__(self, user: AbstractBaseUser, *args, request: HttpRequest, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        if not password_check_allowed(request=self.request, user=self.user):
            raise forms.ValidationError(
                "Too many wrong passwords. Try again later.", code="locked"
            )
        try:
            return super().clean_old_password()
        except forms.ValidationError:
            password_check_failed(request=self.request, user=self.user)
            raise


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the email goes through the outbox (ceop_crm.mail)
    and its link is removed from the stored copy once sent."""

    subject = "Reset your CEOP Partner password"
    template = "staff_password_reset"
    confirm_url_name = "password_reset_confirm"

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        url = (
            context["protocol"]
            + "://"
            + context["domain"]
            + reverse(
                self.confirm_url_name,
                kwargs={"uidb64": context["uid"], "token": context["token"]},
            )
        )
        user = context["user"]
        from planning.services.preferences import preferences_url

        email_queue(
            to=[to_email],
            subject=self.subject,
            template=self.template,
            context={
                "name": user.get_full_name() or user.get_username(),
                "url": url,
                "preferences_url": preferences_url(user=user),
            },
            secrets=[context["token"]],
        )
