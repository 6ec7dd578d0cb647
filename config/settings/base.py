"""Settings shared by every environment.

The environment is read here and only here (django-environ). A bad value fails
loudly at start-up rather than at the first request that needs it.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
import orjson
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# Reading a .env file is asked for, never assumed (as in cookiecutter-django):
# a stray file in the work tree must not change what a test or a server does.
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# What a local run keeps: the SQLite file, the filesystem broker, beat's
# schedule, private uploads and (local settings) the mail folder. Another folder
# keeps a run apart from the work tree's (tests/test_run_local.py).
VAR_DIR = Path(env.str("PEERPATH_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
# Rotating the key: the old one goes here for a while, so sessions, password
# reset links and invitations signed with it stay valid until they expire.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
SITE_URL = env("PEERPATH_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Database ----------------------------------------------------------------
# No DATABASE_URL: a SQLite file under var/ so `make run` needs no server.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'peerpath.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write to one file: wait for the lock rather
    # than fail, and take it at the start of each transaction.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections, checked before reuse so a restarted server is survived.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiler is for long analytical queries. Peerpath's are
    # short, or set-based sweeps and reports over many rows whose plans look
    # costly enough to be compiled: compiling took seconds, longer than the
    # run itself (README, "Performance"). DATABASE_JIT=true turns it back on.
    # Behind PgBouncer, which refuses this start-up option, set it on the
    # database instead: ALTER DATABASE … SET jit = off.
    if not env.bool("DATABASE_JIT", default=False):
        DATABASES["default"]["OPTIONS"] = {"options": "-c jit=off"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications ------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "drf_standardized_errors",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "core",
    "audit",
    "accounts",
    "notifications",
    "certification",
    "mentorship",
    "recovery_plans",
    "checkins",
    "referrals",
    "supervision",
    "reports",
    "operations",
]

MIDDLEWARE = [
    # /healthz, /readyz and /metrics, before the host check and the HTTPS
    # redirect: probes reach a container by its address over plain HTTP.
    "operations.endpoints.OperationsEndpointsMiddleware",
    # A request id for the logs of this request and of the tasks it queues.
    "core.request_log.RequestIdMiddleware",
    "operations.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files keep their caching; everything else not.
    "core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after the user is known: every message below speaks their language.
    "accounts.middleware.LanguageMiddleware",
    "accounts.middleware.IdleSessionTimeoutMiddleware",
    "accounts.middleware.RequireMfaMiddleware",
    "accounts.middleware.ProgramTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "audit.middleware.AuditMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.navigation",
                "accounts.context_processors.idle_warning",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Content-Security-Policy -------------------------------------------------
# Only our own scripts, styles and images (inline SVG charts are part of the
# page; data: images are allauth's TOTP QR code). No inline script or style
# attribute anywhere: a page that must have an inline <script> or <style> gives
# it {{ CSP_NONCE }}, and the nonce is added to the header only on that page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Accounts and authentication ---------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's, reading the session's user with its program and
# whether it has a second factor in one query (accounts/backends.py).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

ACCOUNT_ADAPTER = "accounts.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Peerpath] "
# Failed sign-ins lock an account after 5 in 15 minutes, and an address after
# 50: everyone behind one proxy or office NAT shares an address, so that limit
# only stops a spray across many accounts. The key is the email typed; allauth
# uses the same action for wrong two-factor codes, keyed by user.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "50/15m/ip,5/15m/key",
    "reset_password": "5/m/ip,5/m/key",
}
# How many reverse proxies we run in front of the site. Each appends the address
# it saw to X-Forwarded-For, so the client is the Nth entry from the right; 0
# ignores the header (anyone can write it) and uses the connection's address.
PEERPATH_TRUSTED_PROXY_COUNT = env.int("PEERPATH_TRUSTED_PROXY_COUNT", default=0)
if PEERPATH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("PEERPATH_TRUSTED_PROXY_COUNT must be 0 or more.")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Peerpath"
# Roles that must enrol a second factor before they reach any other page.
PEERPATH_MFA_REQUIRED_ROLES = ["admin", "coordinator"]

# --- Sessions ----------------------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Idle sessions end after this many seconds without a request (the middleware
# enforces it and shows a page that says so). The cookie itself lives for a
# working day at most.
PEERPATH_IDLE_TIMEOUT_SECONDS = env.int("PEERPATH_IDLE_TIMEOUT_SECONDS", default=15 * 60)
# A signed-in page warns this long before the idle sign-out, with a button to
# stay signed in (static/js/peerpath.js).
PEERPATH_IDLE_WARNING_SECONDS = env.int("PEERPATH_IDLE_WARNING_SECONDS", default=2 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
# However active, a session ends this long after sign-in (the middleware
# enforces it: the cookie above is renewed with every write to the session).
PEERPATH_ABSOLUTE_SESSION_SECONDS = env.int(
    "PEERPATH_ABSOLUTE_SESSION_SECONDS", default=12 * 60 * 60
)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Invitations -------------------------------------------------------------
PEERPATH_INVITATION_DAYS = 7

# --- Break-glass -------------------------------------------------------------
# How long an admin's emergency access to one mentee's record lasts.
PEERPATH_BREAK_GLASS_MINUTES = env.int("PEERPATH_BREAK_GLASS_MINUTES", default=60)
# The small-cell rule of the outcome report (CMS): a count, mean or share that
# describes fewer mentees than this (but at least one) is not shown.
PEERPATH_SMALL_CELL_MINIMUM = env.int("PEERPATH_SMALL_CELL_MINIMUM", default=11)
if PEERPATH_SMALL_CELL_MINIMUM < 2:
    raise ValueError("PEERPATH_SMALL_CELL_MINIMUM must be at least 2.")

# --- Internationalisation ----------------------------------------------------
# Staff read English; a mentee reads the preferred language of her record when
# Peerpath has it (accounts.languages, accounts.middleware.LanguageMiddleware).
# The catalogues are locale/<code>/LC_MESSAGES/django.po, compiled to the
# committed .mo files by `make messages` (README "Languages").
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Set by the middleware to the language of the person signed in, so that the
# pages they reach signed out (session ended, sign-in) speak it too. It lives
# as long as the browser session; scripts never read it.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Certificates and CE evidence: outside the web root, served only through views
# that check who may see them. On disk under PEERPATH_PRIVATE_MEDIA_ROOT (with
# more than one machine, a folder they all mount), or in an S3-compatible bucket
# when PEERPATH_PRIVATE_STORAGE_BUCKET is set (README "More than one machine").
PEERPATH_PRIVATE_MEDIA_ROOT = env.path("PEERPATH_PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
PEERPATH_PRIVATE_STORAGE_BUCKET = env.str("PEERPATH_PRIVATE_STORAGE_BUCKET", default="")
if PEERPATH_PRIVATE_STORAGE_BUCKET:
    # Credentials come the usual AWS ways (AWS_ACCESS_KEY_ID and
    # AWS_SECRET_ACCESS_KEY, or the machine's role); objects are private and
    # never overwritten, and the storage gives out no URL (as on disk).
    PRIVATE_STORAGE: dict = {
        "BACKEND": "certification.storage_s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": PEERPATH_PRIVATE_STORAGE_BUCKET,
            "location": env.str("PEERPATH_PRIVATE_STORAGE_PREFIX", default="private"),
            "region_name": env.str("PEERPATH_PRIVATE_STORAGE_REGION", default="") or None,
            # Another S3-compatible service (MinIO, Ceph, a cloud's own).
            "endpoint_url": env.str("PEERPATH_PRIVATE_STORAGE_ENDPOINT_URL", default="") or None,
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
else:
    PRIVATE_STORAGE = {"BACKEND": "certification.storage.PrivateStorage"}
PEERPATH_UPLOAD_MAX_BYTES = env.int("PEERPATH_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Largest image accepted, in pixels: a 48-megapixel phone photo or a letter page
# scanned at 600 dpi fits; a small file that would open into gigabytes does not.
PEERPATH_UPLOAD_MAX_PIXELS = env.int("PEERPATH_UPLOAD_MAX_PIXELS", default=50_000_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# WhiteNoise serves from STATIC_ROOT (filled by collectstatic in production) and,
# in development and tests, straight from the finders.
WHITENOISE_USE_FINDERS = DEBUG or env.bool("WHITENOISE_USE_FINDERS", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}

# --- Email -------------------------------------------------------------------
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
# One unreachable mail server must not hold a batch (and its claims) forever.
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Peerpath <no-reply@peerpath.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Cache -------------------------------------------------------------------
# The cache holds what security needs: allauth's rate limits (failed sign-ins,
# password resets) and the two-factor codes already used. allauth reads only the
# default cache and has no setting to choose another, so the default cache is
# the database: signing in survives a Redis outage, and every process (web
# workers, Celery) shares the same counters. accounts' migration 0003 creates
# the table. Redis, when configured, is the Celery broker only.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "peerpath_cache",
        # Past this many rows the backend deletes a third of them, live counters
        # included: high enough that a flood of failures cannot wash out a lock.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

# --- Broker and Celery -------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A task a killed worker held comes back after this long. It must outlast
    # the longest task (CELERY_TASK_TIME_LIMIT) or a running task would be
    # handed to a second worker; it need not be longer.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 10 * 60}
    # Beat keeps its schedule in Redis (celery-redbeat) and sends only while it
    # holds a lock there: beats on two machines send each entry once, and when
    # the one sending dies another takes over within the lock's timeout (five
    # loop intervals). A missed crontab entry is sent late, not skipped.
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
    CELERY_REDBEAT_REDIS_OPTIONS: dict = {}
    CELERY_REDBEAT_KEY_PREFIX = "peerpath:beat:"
    CELERY_BEAT_MAX_LOOP_INTERVAL = 30
else:
    # A broker that needs no server: kombu's filesystem transport under var/,
    # and beat's own schedule file (CELERY_BEAT_SCHEDULE_FILENAME): one beat.
    CELERY_BROKER_URL = "filesystem://"
    # Its folders are made by `make run` (Makefile: var-folders), not here:
    # settings have no side effects.
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
# The longest task (a sweep at 100,000 mentees, a 200-email batch) takes
# seconds; these bound a stuck one well inside the visibility timeout.
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_TIME_LIMIT = 5 * 60
# A publish to a broker that is down gives up within about a second; the
# rows it would have announced are stored and the beat sender mails them.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# A row a dead sender had claimed is claimed again after this long (a live
# sender renews its claims every 30 seconds, each email bounded by
# EMAIL_TIMEOUT).
PEERPATH_NOTIFICATION_STALE_CLAIM_SECONDS = env.int(
    "PEERPATH_NOTIFICATION_STALE_CLAIM_SECONDS", default=3 * 60
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
# The worker and beat log through LOGGING below (JSON lines with the request
# id of the request that queued the task), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": 60 * 60,
    },
    "remind-checkins-due": {
        "task": "checkins.tasks.remind_checkins_due",
        "schedule": crontab(minute=5),
    },
    "alert-overdue-checkins": {
        "task": "checkins.tasks.alert_overdue_checkins",
        "schedule": crontab(minute=10),
    },
    # Daily at 15:00 UTC: early morning in the Pacific, before the working day.
    "flag-contact-gaps": {
        "task": "checkins.tasks.flag_contact_gaps",
        "schedule": crontab(hour=15, minute=0),
    },
    "remind-recovery-capital-due": {
        "task": "checkins.tasks.remind_recovery_capital_due",
        "schedule": crontab(hour=15, minute=5),
    },
    "remind-plan-reviews": {
        "task": "recovery_plans.tasks.remind_plan_reviews",
        "schedule": crontab(hour=15, minute=10),
    },
    "remind-referral-follow-ups": {
        "task": "referrals.tasks.remind_referral_follow_ups",
        "schedule": crontab(hour=15, minute=20),
    },
    "supervision-sweeps": {
        "task": "supervision.tasks.supervision_sweeps",
        "schedule": crontab(hour=15, minute=25),
    },
    "remind-follow-up-windows": {
        "task": "reports.tasks.remind_follow_up_windows",
        "schedule": crontab(hour=15, minute=30),
    },
    "send-renewal-alerts": {
        "task": "certification.tasks.send_renewal_alerts",
        "schedule": crontab(hour=15, minute=15),
    },
    # A crisis check-in writes its alert with itself (an outbox); this finds
    # any crisis that has none, e.g. saved while the program had no coordinator.
    "alert-unnotified-crises": {
        "task": "checkins.tasks.alert_unnotified_crises",
        "schedule": 5 * 60,
    },
    # Sweeps queue the sender themselves; this also mails what waited while
    # the broker was down.
    "send-pending-notifications": {
        "task": "notifications.tasks.send_pending_notifications",
        "schedule": 5 * 60,
    },
    # The operations page keeps PEERPATH_JOB_RUN_DAYS of job runs.
    "prune-job-runs": {
        "task": "operations.tasks.prune_job_runs",
        "schedule": crontab(hour=3, minute=30),
    },
    # Monthly, on the 1st: the closed cases past their program's retention
    # (operations.retention); an admin confirms each purge.
    "list-retention-candidates": {
        "task": "operations.tasks.list_retention_candidates",
        "schedule": crontab(day_of_month=1, hour=4, minute=0),
    },
}

# --- API ---------------------------------------------------------------------
# Personal API tokens (django-rest-knox): made by their owner on the API
# access page after re-entering the second factor, stored as digests, sent as
# "Authorization: Bearer <token>". Operators' tokens (`drf_create_token`) stay
# "Authorization: Token <key>": the two prefixes keep the two kinds apart.
# knox's own token model; named here because accounts.ApiTokenLabel points at it.
KNOX_TOKEN_MODEL = "knox.AuthToken"  # noqa: S105  (a model name, not a secret)
PEERPATH_API_TOKEN_DAYS = env.int("PEERPATH_API_TOKEN_DAYS", default=90)
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Bearer",
    "TOKEN_TTL": timedelta(days=PEERPATH_API_TOKEN_DAYS),
    # A leaked token is recognisable as ours (secret scanners, logs).
    "TOKEN_PREFIX": "pp_",
    "AUTO_REFRESH": False,
}
REST_FRAMEWORK = {
    # Every class refuses staff without a second factor (accounts/api/authentication.py).
    # A token class first, so an anonymous call is told to authenticate (401).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.PersonalTokenAuthentication",
        "accounts.api.authentication.OperatorTokenAuthentication",
        "accounts.api.authentication.SecondFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.api_pagination.PageNumberPagination",
    # Query parameters are read by each list's FilterSet (<app>/api/filters.py):
    # a value the filter does not take is a 400 naming the parameter.
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "PAGE_SIZE": 50,
    # One error body for every refusal, each status documented per operation
    # (core/api/errors.py, core/api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    # JSON through orjson: several times faster than the standard library on a
    # page of rows. UTC times end in "Z" and int keys are written as strings,
    # as DRF's own renderer does.
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "ORJSON_RENDERER_OPTIONS": (orjson.OPT_UTC_Z, orjson.OPT_NON_STR_KEYS),
    # Per user (anonymous calls never get past authentication); views with
    # `throttle_scope = "exports"` (reports, CSV) have a stricter limit too.
    # The counters live in the database (core.models.RateCount, one statement
    # a call), shared by every web process.
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.UserRateThrottle",
        "core.api.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("PEERPATH_API_RATE_PER_USER", default="1000/hour"),
        "exports": env("PEERPATH_API_RATE_EXPORTS", default="60/hour"),
    },
}
DRF_STANDARDIZED_ERRORS = {
    "ALLOWED_ERROR_STATUS_CODES": [
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "412",
        "415",
        "429",
        "500",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Peerpath API",
    "DESCRIPTION": "Peer mentorship case management for addiction-recovery programs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per vocabulary, however many fields use it.
    "ENUM_NAME_OVERRIDES": {
        "DischargeReasonEnum": "mentorship.choices.DischargeReason",
        "AssignmentEndReasonEnum": "mentorship.choices.AssignmentEndReason",
        "LanguageEnum": "mentorship.choices.LANGUAGE_CHOICES",
        "RecoveryPathwayEnum": "mentorship.choices.RecoveryPathway",
        "DeliveryMethodEnum": "mentorship.choices.DeliveryMethod",
        "MenteeStatusEnum": "mentorship.choices.MenteeStatus",
        "GoalStatusEnum": "recovery_plans.models.Goal.Status",
        "PlanStatusEnum": "recovery_plans.models.RecoveryPlan.Status",
        "CECategoryEnum": "certification.models.CECategory",
        "CheckInKindEnum": "checkins.models.CheckIn.Kind",
        "SpecializationEnum": "certification.models.Specialization",
        "ServiceCategoryEnum": "referrals.choices.ServiceCategory",
        "InformationCategoryEnum": "referrals.choices.InformationCategory",
        "ReferralStatusEnum": "referrals.choices.ReferralStatus",
        "SupervisionSessionKindEnum": "supervision.choices.SessionKind",
        "SupervisionFormatEnum": "supervision.choices.SessionFormat",
        "SupervisionTopicEnum": "supervision.choices.Topic",
        "SupervisorQualificationEnum": "supervision.choices.Qualification",
        "SupportKindEnum": "recovery_plans.models.SupportContact.Kind",
        "RemoteConsentEnum": "mentorship.choices.RemoteConsent",
        # drf-standardized-errors' vocabularies, named once.
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
        "ErrorCode401Enum": "drf_standardized_errors.openapi_serializers.ErrorCode401Enum.choices",
        "ErrorCode403Enum": "drf_standardized_errors.openapi_serializers.ErrorCode403Enum.choices",
        "ErrorCode404Enum": "drf_standardized_errors.openapi_serializers.ErrorCode404Enum.choices",
        "ErrorCode405Enum": "drf_standardized_errors.openapi_serializers.ErrorCode405Enum.choices",
        "ErrorCode406Enum": "drf_standardized_errors.openapi_serializers.ErrorCode406Enum.choices",
        "ErrorCode415Enum": "drf_standardized_errors.openapi_serializers.ErrorCode415Enum.choices",
        "ErrorCode429Enum": "drf_standardized_errors.openapi_serializers.ErrorCode429Enum.choices",
        "ErrorCode500Enum": "drf_standardized_errors.openapi_serializers.ErrorCode500Enum.choices",
        "GroupAttendanceEnum": "checkins.models.Attendance",
    },
    "POSTPROCESSING_HOOKS": ["drf_standardized_errors.openapi_hooks.postprocess_schema_enums"],
}

# --- Operations --------------------------------------------------------------
# README "Operating Peerpath". Metrics (/metrics) answer a scraper that sends
# "Authorization: Bearer <PEERPATH_METRICS_TOKEN>" or comes from an address in
# PEERPATH_METRICS_ALLOWED_IPS (addresses or networks, read through
# PEERPATH_TRUSTED_PROXY_COUNT); with neither set they are off.
PEERPATH_METRICS_TOKEN = env.str("PEERPATH_METRICS_TOKEN", default="")
PEERPATH_METRICS_ALLOWED_IPS = env.list("PEERPATH_METRICS_ALLOWED_IPS", default=[])
try:
    for _network in PEERPATH_METRICS_ALLOWED_IPS:
        ipaddress.ip_network(_network, strict=False)
except ValueError as _error:
    raise ImproperlyConfigured(f"PEERPATH_METRICS_ALLOWED_IPS: {_error}") from None
# `manage.py backup` and `restore`: 32 random bytes in base64
# (`manage.py backup --new-key x` prints one). Kept apart from the archives.
PEERPATH_BACKUP_KEY = env.str("PEERPATH_BACKUP_KEY", default="")
# How long the record of each scheduled job's runs is kept.
PEERPATH_JOB_RUN_DAYS = env.int("PEERPATH_JOB_RUN_DAYS", default=30)

# --- Logging -----------------------------------------------------------------
# Records about substance use never go to logs: log ids and kinds, not content.
# One JSON object a line (core.request_log): the time, level, logger and
# message, and the request id, user id and role of the request (or of the
# request that queued the task) — ids and roles, never a name or a note.
# DJANGO_LOG_FORMAT=plain gives the old lines, for a person reading a terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "core.request_log.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "core.request_log.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("DJANGO_LOG_FORMAT", default="json"),
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}

# --- Error reports -----------------------------------------------------------
# Sent to Sentry (or a compatible service) only when SENTRY_DSN is set. No
# personal data: no cookies, headers, bodies, local variables or user details
# leave the site (core.error_reports scrubs what the SDK would send).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
