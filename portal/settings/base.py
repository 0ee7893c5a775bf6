"""Every setting of the portal, for every environment, read from environment variables.

Defaults are the safe production ones, except where nothing is configured at all: then the portal
runs on one machine with SQLite, inline tasks, local files and console email (DESIGN.md §8).
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from portal import env
from portal.beat import BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.string("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.boolean("DJANGO_DEBUG", False)
SECRET_KEY = env.secret("DJANGO_SECRET_KEY", local_file=VAR_DIR / "secret_key")
ALLOWED_HOSTS = env.string_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.string_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# Absolute base used in emails, where there is no request to build links from.
SITE_URL = env.string("PORTAL_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "django_fsm",
    "portal.accounts",
    "applications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.accounts.middleware.StaffTwoFactorMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env.string("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=env.integer("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing at once: runserver serves several threads.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, tasks -----------------------------------------------------------------
REDIS_URL = env.optional("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions are read from the cache and kept in the database, so a cache flush logs nobody out.
# One engine everywhere keeps query counts the same on every set-up.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

CELERY_BROKER_URL = env.optional("CELERY_BROKER_URL") or REDIS_URL
# With no broker the portal still works on one machine: tasks run inline, in the request.
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "Asia/Almaty"
# Periodic tasks are declared in one place: portal/beat.py.
# A publish while the broker is down fails within seconds; the outbox sweeper sends it later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_IMPORTS = ["portal.tasks"]
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
# The outbox (applications/services/notifications.py): bounded retries with doubling delays; a
# pending row not sent within the grace is queued again by the sweeper; a row a worker has held
# for longer than the lease (well above the send task's time limit) is taken back.
NOTIFICATION_MAX_ATTEMPTS = env.integer("PORTAL_NOTIFICATION_MAX_ATTEMPTS", 6)
NOTIFICATION_RETRY_BASE_SECONDS = 60
NOTIFICATION_RETRY_MAX_SECONDS = 3600
NOTIFICATION_SWEEP_GRACE_SECONDS = 120
NOTIFICATION_LEASE_SECONDS = 600
# /healthz: a worker heartbeat older than this means no worker is taking tasks.
HEALTH_HEARTBEAT_MAX_AGE = env.integer("PORTAL_HEALTH_HEARTBEAT_MAX_AGE", 180)
# The programme admin dashboard is served from a snapshot of its figures; one older than this
# many seconds is still shown (with its time) while a worker recomputes it.
DASHBOARD_MAX_AGE_SECONDS = env.integer("PORTAL_DASHBOARD_MAX_AGE_SECONDS", 300)

# --- Files ----------------------------------------------------------------------------------
STORAGE_BACKEND = env.string("STORAGE_BACKEND", "local")
_uploads = {
    "local": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Outside the web root and never given a URL: files leave only through the download view.
        "OPTIONS": {
            "location": env.string("STORAGE_LOCAL_ROOT", str(VAR_DIR / "uploads")),
            "base_url": None,
        },
    },
    "s3": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.string("STORAGE_S3_BUCKET", "sandbox-portal"),
            "endpoint_url": env.optional("STORAGE_S3_ENDPOINT_URL"),
            "access_key": env.optional("STORAGE_S3_ACCESS_KEY"),
            "secret_key": env.optional("STORAGE_S3_SECRET_KEY"),
            "region_name": env.optional("STORAGE_S3_REGION"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    },
}
if STORAGE_BACKEND not in _uploads:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("STORAGE_BACKEND must be 'local' or 's3'.")
STORAGES = {
    "default": _uploads[STORAGE_BACKEND],
    "staticfiles": {
        "BACKEND": env.string(
            "DJANGO_STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
# Third-party assets come from npm at set-up time and are served from node_modules, never copied in.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
]
FILE_UPLOAD_TEMP_DIR = env.optional("DJANGO_FILE_UPLOAD_TEMP_DIR")
FILE_UPLOAD_PERMISSIONS = 0o640
# Applicants may upload several files of tens of MB; the per-document limits live on each
# document requirement and are enforced while the upload streams.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DOCUMENT_DEFAULT_MAX_MB = env.integer("PORTAL_DOCUMENT_DEFAULT_MAX_MB", 20)
# All versions of all documents of one application together (a re-upload counts too).
APPLICATION_MAX_TOTAL_MB = env.integer("PORTAL_APPLICATION_MAX_TOTAL_MB", 500)
# Images are decoded to be re-encoded; this caps the memory one decode can take.
DOCUMENT_IMAGE_MAX_PIXELS = env.integer("PORTAL_IMAGE_MAX_MEGAPIXELS", 40) * 1_000_000
# DOCX/XLSX are zip files: bounds checked on the central directory before anything is unpacked.
DOCUMENT_ZIP_MAX_ENTRIES = 2000
DOCUMENT_ZIP_MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
# Virus scanning by clamd: unix:///run/clamav/clamd.ctl or tcp://clamav:3310. Unset: no virus
# scan, documents pass the structural checks only and pages say so.
CLAMAV_URL = env.optional("CLAMAV_URL")
CLAMAV_TIMEOUT = env.integer("CLAMAV_TIMEOUT", 60)

# --- Email ----------------------------------------------------------------------------------
EMAIL_HOST = env.optional("DJANGO_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.integer("DJANGO_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env.string("DJANGO_EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env.string("DJANGO_EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env.boolean("DJANGO_EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.string(
    "DJANGO_DEFAULT_FROM_EMAIL", "Sandbox Portal <no-reply@sandbox.local>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Sandbox Portal] "
# Failed logins are throttled per address and per account (allauth keeps the counters in the cache).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Sandbox Portal"

# --- Security -------------------------------------------------------------------------------
HTTPS = env.boolean("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.integer("DJANGO_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.boolean("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    }
}

# --- Languages, time ------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))]
# Our catalogues, then Kazakh for django-allauth's own pages (allauth ships none).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_allauth"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("DJANGO_LOG_LEVEL", "INFO")},
}
