"""One settings module, read from the environment.

With no environment set, everything runs embedded: SQLite under ``var/``, Celery tasks run
eagerly, the search engine is an osmem-server child process, and email goes to the console.
Production (docker-compose) sets the variables in the README's configuration table.
"""

from __future__ import annotations

import os
from pathlib import Path

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from redis.backoff import NoBackoff
from redis.retry import Retry

from talentpool.core.logging import CELERY_TASK_LOGGERS
from talentpool.envconfig import email_config, env_bool, env_list, parse_database_url

# Lets the admin and querysets take type parameters at run time (ModelAdmin[Candidate]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

# DEBUG is on by default so a clone runs as it is; production sets DEBUG=0 and a SECRET_KEY.
DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is off. Set SECRET_KEY to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "embedded-development-key-not-for-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "talentpool.workspace.apps.WorkspaceAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "talentpool.core",
    "talentpool.candidates",
    "talentpool.openings",
    "talentpool.search",
    "talentpool.consent",
    "talentpool.portal",
    "talentpool.messaging",
    "talentpool.matching",
    "talentpool.webhooks",
    "talentpool.demo",
    "talentpool.workspace",
    "api",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "api.middleware.ApiRequestMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "talentpool.workspace.middleware.WorkspaceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "talentpool.portal.middleware.CandidatePageHeadersMiddleware",
]

if not DEBUG:
    # runserver serves static files in development; WhiteNoise serves them in production.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "talentpool.urls"
WSGI_APPLICATION = "talentpool.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": parse_database_url(
        os.environ.get("DATABASE_URL", ""), default_sqlite_path=VAR_DIR / "talentpool.sqlite3"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: the candidate pages, emails and the admin speak these languages.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("da", _("Danish")), ("sv", _("Swedish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MANIFEST_STRICT = False

# Celery: with no REDIS_URL, tasks run eagerly in the calling process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# Without a broker there is no Celery beat: `make demo` and `make run` set EMBEDDED_BEAT=1 to run the
# periodic sweepers below in the web process (talentpool/embedded_beat.py). Ignored with a broker.
EMBEDDED_BEAT = env_bool("EMBEDDED_BEAT", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker logs through LOGGING above (JSON, task arguments filtered), not its own set-up.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A broker that is down must not hold up the request that queues: fail fast, queue nothing, and
# let the sweepers below do the work once it is back (talentpool/core/queueing.py).
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("BROKER_TIMEOUT_SECONDS", "1"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    # Above kombu's 1 s BRPOP wait, so that a worker's idle polls do not time out.
    "socket_timeout": max(2 * CELERY_BROKER_CONNECTION_TIMEOUT, 2.0),
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
CELERY_TIMEZONE = "UTC"
# State in the database drives the work; these sweepers pick up whatever a lost task left undone.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "reconcile-candidate-index": {
        "task": "talentpool.search.tasks.candidate_index_reconcile_task",
        "schedule": 3600.0,
    },
    "reconcile-opening-index": {
        "task": "talentpool.search.tasks.opening_index_reconcile_task",
        "schedule": 3600.0,
    },
    # An engine that came back empty: the index is recreated and refilled within minutes.
    "heal-search-indices": {
        "task": "talentpool.search.tasks.search_index_heal_task",
        "schedule": 60.0,
    },
    "index-candidates-left-unindexed": {
        "task": "talentpool.search.tasks.candidate_index_sweep_task",
        "schedule": 60.0,
    },
    "index-openings-left-unindexed": {
        "task": "talentpool.search.tasks.opening_index_sweep_task",
        "schedule": 60.0,
    },
    "match-changed-candidates": {
        "task": "talentpool.matching.tasks.candidate_match_sweep_task",
        "schedule": 120.0,
    },
    "match-unmatched-openings": {
        "task": "talentpool.matching.tasks.opening_match_sweep_task",
        "schedule": 300.0,
    },
    "send-due-messages": {
        "task": "talentpool.messaging.tasks.message_due_sweep_task",
        "schedule": 60.0,
    },
    "keep-warm": {
        "task": "talentpool.messaging.tasks.keep_warm_task",
        "schedule": 3600.0,
    },
    "deliver-due-webhooks": {
        "task": "talentpool.webhooks.tasks.webhook_delivery_sweep_task",
        "schedule": 60.0,
    },
    "fetch-pending-ats-feedback": {
        "task": "api.tasks.ats_feedback_sweep_task",
        "schedule": 600.0,
    },
    "purge-idempotency-records": {
        "task": "api.tasks.idempotency_record_purge_task",
        "schedule": 3600.0,
    },
    "retention": {
        "task": "talentpool.consent.tasks.retention_run_task",
        "schedule": 3600.0,
    },
    "extract-waiting-cv-text": {
        "task": "talentpool.candidates.tasks.cv_text_extract_sweep_task",
        "schedule": 900.0,
    },
}

# Search: with no ELASTICSEARCH_URL, an osmem-server child process is started on first use.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "talentpool")
SEARCH_TIMEOUT_SECONDS = float(os.environ.get("SEARCH_TIMEOUT_SECONDS", "10"))
SEARCH_BULK_TIMEOUT_SECONDS = float(os.environ.get("SEARCH_BULK_TIMEOUT_SECONDS", "120"))
SEARCH_REPLICAS = int(os.environ.get("SEARCH_REPLICAS", "0"))

# Candidates' magic links expire after this many days.
MAGIC_LINK_DAYS = int(os.environ.get("MAGIC_LINK_DAYS", "14"))
# A used link signs the candidate in to their pages (/me/) for this long.
CANDIDATE_SESSION_MINUTES = int(os.environ.get("CANDIDATE_SESSION_MINUTES", "60"))
# Uploaded CVs (PDF or DOCX) larger than this are refused.
CV_MAX_BYTES = int(os.environ.get("CV_MAX_BYTES", str(5 * 1024 * 1024)))
# An uploaded CV is checked and its text read in a child process with these limits (wall-clock
# seconds and address space); a file that needs more is refused.
CV_READ_SECONDS = float(os.environ.get("CV_READ_SECONDS", "8"))
CV_READ_MEMORY_BYTES = int(os.environ.get("CV_READ_MEMORY_BYTES", str(512 * 1024 * 1024)))
# The largest request body read into memory: a bulk upsert of 500 candidates, each with a CV text
# of up to 50,000 characters, fits (JSON with escaped non-ASCII included). Forms are far smaller.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024 * 1024

# Messages to candidates. Links inside a message outlive the review and scheduling before it goes out.
MESSAGE_LINK_DAYS = int(os.environ.get("MESSAGE_LINK_DAYS", "30"))
MESSAGE_MAX_ATTEMPTS = int(os.environ.get("MESSAGE_MAX_ATTEMPTS", "5"))
# Keep warm: a check-in about every 3 months (alternating with a CV-update invitation), a consent
# renewal request some weeks before expiry, and never two keep-warm messages closer than the gap.
KEEP_WARM_INTERVAL_DAYS = int(os.environ.get("KEEP_WARM_INTERVAL_DAYS", "90"))
KEEP_WARM_MIN_GAP_DAYS = int(os.environ.get("KEEP_WARM_MIN_GAP_DAYS", "60"))
CONSENT_RENEWAL_LEAD_DAYS = int(os.environ.get("CONSENT_RENEWAL_LEAD_DAYS", "28"))
# A recruiter owes an answer to a candidate's feedback request within this many working days.
FEEDBACK_REQUEST_DUE_WORKING_DAYS = int(os.environ.get("FEEDBACK_REQUEST_DUE_WORKING_DAYS", "5"))

# Email: EMAIL_URL is console://, file:///path, smtp://user:password@host:port or smtps://...
_email = email_config(os.environ.get("EMAIL_URL", ""), default_file_path=VAR_DIR / "mail")
EMAIL_BACKEND = _email.backend
EMAIL_FILE_PATH = _email.file_path
EMAIL_HOST = _email.host
EMAIL_PORT = _email.port
EMAIL_HOST_USER = _email.user
EMAIL_HOST_PASSWORD = _email.password
EMAIL_USE_TLS = _email.use_tls
EMAIL_USE_SSL = _email.use_ssl
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "talentpool@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_MESSAGE_ID_DOMAIN = os.environ.get("EMAIL_MESSAGE_ID_DOMAIN", "talentpool.localhost")

# Security: production (DEBUG off) is HTTPS-only behind a proxy that sets X-Forwarded-Proto.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# How many reverse proxies stand in front of the web process (each appends to X-Forwarded-For):
# rate limits and consent evidence take the client's address from there. 0: REMOTE_ADDR.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0") or 0)

REST_FRAMEWORK = {
    "NUM_PROXIES": TRUSTED_PROXIES,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ApiKeyScopePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiKeyRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": os.environ.get("API_THROTTLE_RATE", "1200/min")},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["api.filters.StrictFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DATETIME_FORMAT": "%Y-%m-%dT%H:%M:%S.%fZ",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "talentpool API",
    "DESCRIPTION": "Feed the talent pool from your ATS and read it back. Every request is scoped to the "
    "organization of its API key.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OpeningStatusEnum": "talentpool.openings.models.Opening.Status",
        "FeedbackStatusEnum": "talentpool.openings.models.Feedback.Status",
        "MessageStatusEnum": "talentpool.messaging.models.Message.Status",
        "MatchAlertStatusEnum": "talentpool.matching.models.MatchAlert.Status",
        "WebhookDeliveryStatusEnum": "talentpool.webhooks.models.WebhookDelivery.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}
# Outgoing webhooks: an endpoint is disabled after this many failed attempts in a row.
WEBHOOK_DISABLE_AFTER_FAILURES = int(os.environ.get("WEBHOOK_DISABLE_AFTER_FAILURES", "20"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
# Webhook URLs that resolve to loopback, private or link-local addresses are refused (at
# registration and at every delivery) unless this is on: it is for development, where the
# receiver runs on this machine.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=DEBUG)
if REDIS_URL:
    # Throttling counts requests in the cache; workers must share it. While Redis is down the
    # counting goes on in each process's memory (talentpool/core/cache.py), after a short timeout.
    CACHES = {
        "default": {
            "BACKEND": "talentpool.core.cache.FailoverRedisCache",
            "LOCATION": REDIS_URL,
            # One short try: a request must not wait for a cache that is away.
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "retry": Retry(NoBackoff(), 0),
            },
        }
    }

# Logs are JSON lines on stderr; they never carry personal data (ids only).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "talentpool.core.logging.JsonFormatter"}},
    "filters": {"task_data": {"()": "talentpool.core.logging.TaskDataFilter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "elastic_transport": {"level": "WARNING"},
        "celery": {"level": "INFO"},
        # Celery's task logging, without the tasks' arguments and results (they could name someone).
        **{name: {"filters": ["task_data"]} for name in CELERY_TASK_LOGGERS},
    },
}
