"""Sessions that know their user, so every session of a user can be ended.

Django's documented way to extend the database session engine
("Extending database-backed session engines"): the same table layout plus a
user column, kept up to date on every save (sign-in, key cycling).
"""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class UserSession(AbstractBaseSession):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = "session"
        indexes = [
            models.Index(fields=["user"], name="usersession_user"),
        ]

    @classmethod
    def get_session_store_class(cls):
        from ceop_crm.auth.session_store import SessionStore

        return SessionStore

    def __str__(self) -> str:
        return f"Session of user {self.user_id} until {self.expire_date:%Y-%m-%d %H:%M}"
