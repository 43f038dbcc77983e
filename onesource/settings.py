"""Settings, read from the environment (README lists every variable).

With no environment at all the portal runs on the dev default: DEBUG on, SQLite under var/,
Celery tasks run eagerly in the web process and email goes to the console. With
DJANGO_DEBUG=false it refuses to start until the production variables are set.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
DEBUG = env.bool("DJANGO_DEBUG", default=True)

if not DEBUG:
    missing = [
        name for name in ("DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS") if not env.str(name, default="")
    ]
    if missing:
        raise ImproperlyConfigured("DJANGO_DEBUG is false, so these must be set: " + ", ".join(missing))

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")

# The benchmark's floor page (onesource/bench.py): mounted only for `make bench`, never in production.
BENCH_FLOOR_PAGE = env.bool("BENCH_FLOOR_PAGE", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "django_celery_beat",
    # Domain apps, in dependency order (each imports only those above it).
    "apps.core",
    "apps.accounts",
    "apps.partners",
    "apps.catalogue",
    "apps.kpis",
    "apps.slas",
    "apps.delivery",
    "apps.transformation",
    "apps.savings",
    "apps.customers",
    "apps.risks",
    "apps.growth",
    "apps.reports",
    "apps.governance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "apps.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.core.middleware.UnstorableInputMiddleware",
    "apps.core.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "apps.core.middleware.LoginRequiredMiddleware",
    # After sign-in: the second step (or enrolment) before any other page (apps/accounts/two_factor.py).
    "apps.accounts.middleware.TwoFactorMiddleware",
    # Last, so that it sees the final response of a failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "onesource.urls"
WSGI_APPLICATION = "onesource.wsgi.application"

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
                "apps.core.context_processors.navigation",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Django's renderer, with a select's options drawn in Python (apps/core/renderers.py).
FORM_RENDERER = "apps.core.renderers.PortalFormRenderer"

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep a connection open between requests and tasks (a new PostgreSQL connection costs a process fork),
# checked before reuse so that a database restart costs no failed request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# How long a statement waits for a row or table lock before failing (PostgreSQL; 0 waits for ever). A
# Celery worker given a limit fails fast on a lock held too long, and its task is retried with back-off.
if DATABASE_LOCK_TIMEOUT_MS := env.int("DATABASE_LOCK_TIMEOUT_MS", default=0):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c lock_timeout={DATABASE_LOCK_TIMEOUT_MS}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "apps.accounts.backends.AccountBackend",  # Django's ModelBackend, reading the user with their partner
    # Sign-in through a partner's own OpenID Connect provider (apps/accounts/oidc.py).
    "apps.accounts.oidc.PartnerProviderBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Five failed logins lock the user name, and five from one address lock that address. The address
# is the connection's own: a client-supplied X-Forwarded-For cannot dodge or reset a lockout.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# A successful sign-in clears only that user's own failed tries (apps/accounts/lockout.py).
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "apps.accounts.lockout.OwnAttemptsLockoutHandler"

# Partners' OpenID Connect providers (configured in the admin): the clock difference tolerated on an ID
# token's times (at most 300 s), the provider's answer time, and how many sign-in callbacks one address
# may make a minute. Users (admins excepted) unused for ACCOUNTS_INACTIVE_DAYS are deactivated daily.
OIDC_CLOCK_SKEW_SECONDS = env.int("OIDC_CLOCK_SKEW_SECONDS", default=60)
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)
OIDC_CALLBACK_RATE_PER_MINUTE = env.int("OIDC_CALLBACK_RATE_PER_MINUTE", default=30)
ACCOUNTS_INACTIVE_DAYS = env.int("ACCOUNTS_INACTIVE_DAYS", default=90)

# Two-factor sign-in (django-otp): a TOTP app, and recovery codes that each work once. Admins and
# directors must use it (apps/core/policy.py). Only the demo may turn that off, never production.
TWO_FACTOR_ENFORCED = env.bool("TWO_FACTOR_ENFORCED", default=True)
if not DEBUG and not TWO_FACTOR_ENFORCED:
    raise ImproperlyConfigured("TWO_FACTOR_ENFORCED may be false only with DJANGO_DEBUG on (the demo).")
OTP_TOTP_ISSUER = "oneSource portal"
# Each wrong code doubles the wait before the next try (1 s, 2 s, 4 s, ...), per device.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # GOV.UK Frontend is installed from npm (package.json), never copied into the repository.
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Office hours for enquiry clocks (working days exclude weekends and bank holidays).
OFFICE_HOURS = tuple(env.list("OFFICE_HOURS", default=["09:00", "17:00"]))

# The portal's own address, for links in emails: by default where `make run` serves it (PORT, 8000).
PORTAL_URL = env.str("PORTAL_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip("/")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="oneSource portal <portal@onesource.example>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so that an anonymous request is answered 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        # A session counts once its second step is done (apps/accounts/authentication.py).
        "apps.accounts.authentication.TwoFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["apps.core.api_lists.PortalFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "apps.core.api_parsers.PortalJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api_lists.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.PortalAutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "oneSource portal API",
    "DESCRIPTION": "Partners, services, agreements, performance, savings and plans of the oneSource "
    "shared service. Every response is restricted to what the signed-in user may see.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from our own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status"; each choice set gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "CommissioningRequestStatusEnum": "apps.catalogue.models.CommissioningRequest.Status",
        "PlanStatusEnum": "apps.delivery.models.Plan.Status",
        "ActivityStatusEnum": "apps.delivery.models.ActivityStatus",
        "ActivityKindEnum": "apps.delivery.models.Activity.Kind",
        "MeasurementStatusEnum": "apps.kpis.models.Measurement.Status",
        "SavingsStatusEnum": "apps.savings.models.Status",
        "ProjectStageEnum": "apps.transformation.models.Project.Stage",
        "EnquiryStatusEnum": "apps.customers.models.Enquiry.Status",
        "ImprovementActionStatusEnum": "apps.customers.models.ImprovementAction.Status",
        "RiskStatusEnum": "apps.risks.models.Risk.Status",
        "MitigatingActionStatusEnum": "apps.risks.models.MitigatingAction.Status",
        "OpportunityStageEnum": "apps.growth.models.Opportunity.Stage",
        "RiskScaleEnum": "apps.risks.scoring.SCALE_CHOICES",
        "MeetingStatusEnum": "apps.governance.models.Meeting.Status",
        "MeetingPackStatusEnum": "apps.governance.models.Meeting.PackStatus",
    },
}

# The cache holds what readers' dashboards show, drawn once per scope (apps/core/contributions.py). With
# several web processes it must be shared (Redis: REDIS_URL), so that a change seen by one reaches all;
# with none set, a single process's memory (the dev default's one runserver process, and tests).
if REDIS_URL := env.str("REDIS_URL", default=""):
    CACHES = {"default": {"BACKEND": "apps.core.cache.ForgivingRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with no broker configured, tasks run eagerly in the calling process (dev default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request must not hang on a broker that is down: try briefly, then keep the task in the outbox.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    # A task whose worker died unacknowledged goes back on the queue after this long: longer than the
    # longest task's hard time limit (a report's is 11 minutes).
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
    # How often a worker looks for such tasks to put back (every sweep, not every tenth).
    "unacked_restore_interval": env.int("CELERY_RESTORE_SWEEP_SECONDS", default=60),
    "unacked_restore_throttle": 1,
}
CELERY_BEAT_SCHEDULE = {
    "outbox-flush": {"task": "apps.core.tasks.outbox_flush", "schedule": 60.0},
}

# No inline script runs unless it carries the request's nonce; no inline style at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
