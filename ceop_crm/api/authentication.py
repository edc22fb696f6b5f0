"""Token authentication for other systems: `Authorization: Bearer <token>`."""

from django.utils import timezone
from rest_framework import authentication, exceptions

from ceop_crm.api.models import ApiToken, token_digest
from ceop_crm.api.services import api_token_touch
from ceop_crm.auth.selectors import second_factor_missing

KEYWORDS = (b"bearer", b"token")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Looks the token up by its hash; revoked or expired tokens are refused."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Give one token after 'Bearer'.")
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(raw))
            .first()
        )
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        if token.expires_at is not None and token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed("This token has expired.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("This user is inactive.")
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser session, once its second factor is verified where one is owed
    (staff, administrators, partner users who enrolled); tokens are unaffected."""

    def authenticate(self, request):
        if second_factor_missing(request._request):
            return None
        return super().authenticate(request)
