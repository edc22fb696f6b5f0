from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse

from ceop_crm.admin_scale import LargeTableAdminMixin
from ceop_crm.api.models import ApiToken
from ceop_crm.api.services import api_token_create, api_token_revoke, api_token_validate
from ceop_crm.exceptions import ApplicationError


class ApiTokenIssueForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name", "expires_at"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("user") is not None:
            try:
                api_token_validate(
                    user=cleaned["user"], expires_at=cleaned.get("expires_at")
                )
            except ApplicationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(LargeTableAdminMixin, admin.ModelAdmin):
    """Issue a token (shown once, on the page after saving) and revoke it.

    Only the hash is stored, so a lost token is revoked and a new one issued.
    """

    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["name", "=prefix", "user__username"]
    list_select_related = ["user"]
    actions = ["revoke"]
    add_form = ApiTokenIssueForm
    issued_fields = [
        "user",
        "name",
        "prefix",
        "created_at",
        "created_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["user", "name", "expires_at"] if obj is None else self.issued_fields

    def get_readonly_fields(self, request, obj=None):
        # An issued token changes only by being revoked (the action on the list).
        return [] if obj is None else self.issued_fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, raw = api_token_create(
            user=obj.user, name=obj.name, expires_at=obj.expires_at, actor=request.user
        )
        obj.pk, obj.prefix, obj.digest = token.pk, token.prefix, token.digest
        obj.created_at, obj.created_by = token.created_at, token.created_by
        request.api_token_raw = raw

    def response_add(self, request, obj, post_url_continue=None):
        # The raw token is rendered on this response only: never stored, never
        # put in a message cookie or the session.
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token": obj,
            "raw": request.api_token_raw,
            "title": "API token issued",
        }
        response = TemplateResponse(request, "admin/api/apitoken/issued.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke selected tokens")
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            api_token_revoke(token=token, actor=request.user)
        self.message_user(request, f"Revoked {len(tokens)} token(s).")
