"""Tests: PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set (as in CI)."""

from ceop_crm.settings.base import *
from ceop_crm.settings.base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default="/tmp/ceop-test-media")  # noqa: S108
AXES_ENABLED = False

if env.bool("CEOP_REQUIRE_POSTGRES", default=False) and (
    DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("CI runs the suite on PostgreSQL: set DATABASE_URL.")

# Tests serve static files through the finders; there is no collected STATIC_ROOT.
WHITENOISE_AUTOREFRESH = True

# Each test process keeps its own "shared" cache: parallel workers never see
# each other's dashboard plot versions.
CACHES = {
    **CACHES,
    "shared": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "shared",
    },
}
