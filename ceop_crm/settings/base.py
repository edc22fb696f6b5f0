"""Settings shared by every environment; values come from the environment only.

Django reads settings as one flat list of names: three subjects live in modules
of their own, star-imported at their place below (api.py: the REST API and its
documentation; operations.py: logs, health and metrics; notifications.py: email
preferences, the digest and scheduled reports). The README's configuration table
follows these sections. What varies by environment lives in local.py, test.py and
production.py.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# SECRET_KEY is set by each environment module; production requires it.
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "ceop_crm.auth.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # trigram lookups (duplicate detection); inert on SQLite
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "health_check",
    "django_prometheus",
    "django_guid",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_permissions_policy",
    "ceop_crm",
    "ceop_crm.auth.apps.AuthConfig",
    "ceop_crm.api",
    "ceop_crm.privacy",
    "priorities",
    "tiers",
    "partners",
    "planning",
    "activities",
    "ceop_crm.search",
    "ceop_crm.lists",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ceop_crm.auth.middleware.NoStoreMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ceop_crm.http.RefuseNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ceop_crm.auth.middleware.SessionLimitsMiddleware",
    "ceop_crm.auth.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "ceop_crm.access.PartnerAreaMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "ceop_crm.urls"
WSGI_APPLICATION = "ceop_crm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ceop_crm.context_processors.roles",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Without DATABASE_URL the project runs on an embedded SQLite file.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves the web app, the worker's processes and beat at
    # once: readers never wait for a writer (WAL), a writer waits its turn for up
    # to 20 s instead of failing with "database is locked", and a transaction
    # takes the write lock when it starts, so two writers never deadlock halfway.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **DATABASES["default"].get("OPTIONS", {}),
    }

# Set on every PostgreSQL connection (production.py applies them too):
# - duplicate detection asks the trigram index for names this alike
#   (partners.dedupe.selectors.NAME_THRESHOLD), not pg_trgm's default 0.3;
# - no JIT compilation: it pays off for long analytic queries, not for a web
#   page's statements, whose estimated cost passes its thresholds as the tables
#   grow. At 100,000 organisations the dashboard's headline statement spent
#   5.8 s compiling for 0.8 s of execution (README, "dashboard");
# - no parallel workers for a statement: starting them costs more than they save
#   on a page's statements. At 100,000 organisations the Annual Review's rows
#   took 13 ms in a parallel plan, 6 of them before the first row, and 3 ms in
#   one process; no benchmarked page's SQL was slower without them. (Exports
#   read through cursors and the sweep writes: neither has parallel plans.)
POSTGRES_SESSION_OPTIONS = (
    "-c pg_trgm.similarity_threshold=0.5 -c jit=off"
    " -c max_parallel_workers_per_gather=0"
)


def postgres_session_options(database: dict) -> dict:
    """The database settings with POSTGRES_SESSION_OPTIONS, on PostgreSQL only."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = (
            POSTGRES_SESSION_OPTIONS + " " + options.get("options", "")
        ).strip()
    return database


postgres_session_options(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d %b %Y", "%d %B %Y"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# Front-end packages come from npm at set-up (package.json, `npm ci`) and are
# served from node_modules by whitenoise; nothing is copied into the repository.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MOU_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# Where `manage.py backup` writes its archives (a volume of its own in compose).
BACKUP_ROOT = env.path("DJANGO_BACKUP_ROOT", default=str(BASE_DIR / "backups"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Sessions (ceop_crm/auth): in the database with the user's id beside them,
# so every session of a user can be ended; an idle limit by audience and an
# absolute lifetime, both checked on each request (SessionLimitsMiddleware).
SESSION_ENGINE = "ceop_crm.auth.session_store"
SESSION_IDLE_MINUTES_STAFF = env.int("DJANGO_SESSION_IDLE_MINUTES_STAFF", default=30)
SESSION_IDLE_MINUTES_PARTNER = env.int(
    "DJANGO_SESSION_IDLE_MINUTES_PARTNER", default=60
)
SESSION_ABSOLUTE_HOURS = env.int("DJANGO_SESSION_ABSOLUTE_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Sign-in lockout (ceop_crm/auth/lockout.py): five failures lock a username
# at an address, and AXES_ADDRESS_FAILURE_LIMIT failures across any usernames
# lock the address (password spraying), each for an hour.
AXES_HANDLER = "ceop_crm.auth.lockout.AddressAwareHandler"
AXES_FAILURE_LIMIT = env.int("DJANGO_AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("DJANGO_AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# The client's address. A header such as X-Forwarded-For is whatever the
# client sends, so it is read only behind proxies the operator declares:
# DJANGO_TRUSTED_PROXY_COUNT is how many proxies in front of the app append to
# it, and the address the outermost one saw is taken, counting from the right
# (entries a client adds on the left are ignored). Without it the socket's
# address (REMOTE_ADDR) is the client, and X-Forwarded-Proto is not trusted.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT:
    # django-ipware counts the entries after the client's: n proxies leave n-1.
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    # More entries than proxies: a client wrote some; take ours from the right.
    IPWARE_STRICT = False
    # The proxy terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
else:
    AXES_IPWARE_PROXY_COUNT = None
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Second factor (django-otp): the name authenticator apps show.
OTP_TOTP_ISSUER = "CEOP Partner"

# Content-Security-Policy (django-csp): scripts and styles from this site only,
# inline ones only with the response's nonce; nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
}

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
)
# The SMTP server, when the SMTP backend is used (production).
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
EMAIL_FILE_PATH = env("DJANGO_EMAIL_FILE_PATH", default=str(BASE_DIR / "outbox"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="partners@ceop.example")
SITE_URL = env("DJANGO_SITE_URL", default="http://127.0.0.1:8000")

# Celery. Without REDIS_URL the broker is kombu's filesystem transport, which
# needs no server (development only).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    _broker_dir = Path(
        env("CELERY_BROKER_FOLDER", default=str(BASE_DIR / ".celery-broker"))
    )
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
# "api" holds the API's throttling counters: in Redis when REDIS_URL is set, so
# every web process counts against the same budget per token.
CACHES = {
    # This process's figures and rows shared between requests for a minute
    # (partners.reports.figures): an organisation's page is about 25 KB, so
    # a thousand entries stay within some 25 MB (Django's default is 300,
    # and culls a third of them at once when full).
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    "api": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ceop-api",
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "api",
        }
    ),
    # What every web process must see alike (the dashboard plots' version): in
    # Redis when REDIS_URL is set, else in this process only.
    "shared": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ceop-shared",
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "shared",
        }
    ),
    # Counters that must hold across every web process even on the embedded
    # default (the public form's rate limit): Redis when REDIS_URL is set, else
    # a table of the database (created by ceop_crm's migration 0004).
    "public": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ceop-public",
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ceop_cache",
        }
    ),
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A web request never waits on the broker: publishing gives up fast.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# One beat process runs the reminder sweep hourly; the sweep reads the database,
# so a missed run or an outage is caught up by the next one.
CELERY_BEAT_SCHEDULE: dict = {
    "planning-reminders-sweep": {
        "task": "planning.reminders_sweep",
        "schedule": crontab(minute=5),
        "options": {"expires": 55 * 60},
    },
    # Personal data past its retention period goes once a day, in batches.
    "privacy-retention": {
        "task": "privacy.retention_apply",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 6 * 3600},
    },
    # Subject access exports whose message the broker lost (a request never
    # waits on it) are built by this sweep.
    "privacy-exports-sweep": {
        "task": "privacy.subject_access_exports_sweep",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # Imports whose message the broker lost, or whose worker died, resume.
    "partners-imports-resume": {
        "task": "partners.imports_resume",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 9 * 60},
    },
    # Report downloads whose message was lost are built; day-old files deleted.
    "partners-report-downloads-sweep": {
        "task": "partners.report_downloads_sweep",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
}
# Report downloads of more rows than this are built by the worker.
REPORT_DOWNLOAD_BACKGROUND_ROWS = env.int(
    "REPORT_DOWNLOAD_BACKGROUND_ROWS", default=5000
)

# Reminders of the planning cycle, in days. Milestones carry their own lead
# time (editable in admin); relationship issues use their MoU level's deadline.
REMINDER_REVIEW_UPCOMING_DAYS = env.int("REMINDER_REVIEW_UPCOMING_DAYS", default=14)
REMINDER_REVIEW_OVERDUE_DAYS = env.int("REMINDER_REVIEW_OVERDUE_DAYS", default=7)
REMINDER_REVIEW_ESCALATED_DAYS = env.int("REMINDER_REVIEW_ESCALATED_DAYS", default=21)
REMINDER_MOU_ENDING_DAYS = env.list(
    "REMINDER_MOU_ENDING_DAYS", cast=int, default=[90, 30, 7]
)
# How long after its day a last-step reminder (escalated, MoU ended, issue
# past its deadline) is still sent, e.g. after an outage.
REMINDER_CATCH_UP_DAYS = env.int("REMINDER_CATCH_UP_DAYS", default=30)
REMINDER_ISSUE_DEFAULT_DAYS = env.int("REMINDER_ISSUE_DEFAULT_DAYS", default=14)
# Outgoing mail: tries per email, and the retry backoff (doubling, capped).
MAIL_MAX_ATTEMPTS = env.int("MAIL_MAX_ATTEMPTS", default=8)
MAIL_RETRY_BASE_SECONDS = env.int("MAIL_RETRY_BASE_SECONDS", default=60)
MAIL_RETRY_MAX_SECONDS = env.int("MAIL_RETRY_MAX_SECONDS", default=6 * 3600)

# The REST API and its documentation.
from ceop_crm.settings.api import *  # noqa: E402

# Logs, health and metrics.
from ceop_crm.settings.operations import *  # noqa: E402

# Two baseline pages under /bench/ for `make bench` (scripts/bench.py turns them
# on with DJANGO_BENCH_VIEWS=True); never exposed otherwise.
CEOP_BENCH_VIEWS = env.bool("DJANGO_BENCH_VIEWS", default=False)

# History is an audit trail: readable in admin, never reverted from there.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Email preferences, the daily digest and scheduled reports.
from ceop_crm.settings.notifications import *  # noqa: E402

CELERY_BEAT_SCHEDULE.update(NOTIFICATION_BEAT_SCHEDULE)
