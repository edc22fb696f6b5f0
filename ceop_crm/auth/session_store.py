"""SESSION_ENGINE: database sessions with the signed-in user's id in a column."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):
        from ceop_crm.auth.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        obj = super().create_model_instance(data)
        try:
            obj.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            obj.user_id = None
        return obj
