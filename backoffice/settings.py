"""Settings for Buurtkas, driven by the environment.

Production differs from development only by environment variables:
- DATABASE_URL: PostgreSQL to use; unset means the embedded server under var/ (development).
- DJANGO_DEBUG: 1/0; defaults to on only with the embedded database.
- DJANGO_SECRET_KEY: required when DEBUG is off.
- BUURTKAS_LEDGER_KEY: the key of the ledger's hash chain (HMAC); required when DEBUG is off.
- DJANGO_ALLOWED_HOSTS, DJANGO_CSRF_TRUSTED_ORIGINS: comma-separated.
- DJANGO_SECURE: 1 (default when DEBUG is off) turns on HTTPS-only cookies, HSTS and redirects.
- DJANGO_TRUSTED_PROXY_COUNT: how many reverse proxies in front of the app append to
  X-Forwarded-For (0, the default: the socket address is the client's).
- DJANGO_MEDIA_ROOT, DJANGO_STATIC_ROOT, DJANGO_EMAIL_URL-ish settings below.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


EMBEDDED_DATABASE = not os.environ.get("DATABASE_URL")
DEBUG = env_bool("DJANGO_DEBUG", default=EMBEDDED_DATABASE)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-for-the-embedded-database"
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. "
            "Set it in the environment (a long random string)."
        )

# The ledger's hash chain is keyed (HMAC-SHA256) with a secret that lives outside the
# database, so someone with database access alone cannot recompute it (ADR 0010). Not derived
# from SECRET_KEY: rotating that must not break the books. Changing this key makes every
# group's chain fail verify_ledger.
LEDGER_CHAIN_KEY = os.environ.get("BUURTKAS_LEDGER_KEY", "")
if not LEDGER_CHAIN_KEY:
    if DEBUG:
        LEDGER_CHAIN_KEY = "insecure-ledger-key-only-for-development-and-tests"
    else:
        raise ImproperlyConfigured(
            "BUURTKAS_LEDGER_KEY is required when DJANGO_DEBUG is off. Set it in the "
            "environment (a long random string, kept outside the database and its backups)."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# --- Database -----------------------------------------------------------------------------
if EMBEDDED_DATABASE:
    from backoffice.embedded_postgres import database_url

    _database_url = database_url(BASE_DIR)
else:
    _database_url = os.environ["DATABASE_URL"]

DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Parallel test runs on one server need their own test database name.
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Tenancy ------------------------------------------------------------------------------
# The public schema holds the support organisation: people, the registry of groups, who may
# enter which group, and what is shared between groups. Each resident group is one schema.
SHARED_APPS = [
    "tenants",  # first: its migrate_schemas overrides django-tenants' own
    "backoffice",
    "knowledge",
    "backoffice.support",
    "api",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "backoffice.admin_config.AdminConfig",  # django.contrib.admin, found with the URLconf
    # After the admin: django-tenants' admin index/app_list templates (tenant colouring this
    # project does not use) carry inline <style>s the Content-Security-Policy blocks.
    "django_tenants",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "simple_history",
    "import_export",
    "django_htmx",
    "axes",
    "rest_framework",
    "django_tasks_db",
    # Reports to the municipality and its API (backoffice/reporting/, api/).
    "backoffice.reporting",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
TENANT_APPS = [
    "groups",
    "finance",
    "groups.initiatives",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]
TENANT_MODEL = "tenants.Group"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
# The schema every new group is cloned from; migrate_schemas keeps it current.
TENANT_TEMPLATE_SCHEMA = "group_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# One `SET search_path` per request (and per schema switch), not one per cursor: the schema
# middleware switches schema at the start of every request, which makes the next cursor set
# it again; a rollback (also to a savepoint) forgets it too. Nothing else may SET the
# session's search_path (a transaction-local set_config is fine). ADR 0024.
TENANT_LIMIT_SET_CALLS = True
# Called with the new group right after its schema is made, in the same transaction.
GROUP_INITIALISERS = ["groups.facade.group_initialise"]
# Each returns the facts its app keeps in the group's row of facts (tenants/facts.py, ADR 0013).
GROUP_FACT_SOURCES = ["finance.facade.group_facts", "groups.facade.group_facts"]
# Who recomputes the reports' per-group counts and year statuses (tenants/figures.py).
REPORT_COUNT_SOURCES = ["groups.initiatives.report_counts.compute"]
REPORT_YEAR_SOURCES = ["finance.facade.year_statuses"]
# Where the reports read the support organisation's hours per group and offering.
REPORT_SUPPORT_HOURS = "backoffice.support.facade.hours_by_group_and_offering"

AUTH_USER_MODEL = "tenants.User"

# --- Requests -----------------------------------------------------------------------------
MIDDLEWARE = [
    "tenants.middleware.GroupSchemaMiddleware",
    "api.middleware.ApiMiddleware",  # /api/ only: API-Version, CORS, problem+json, request log
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "backoffice.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "backoffice.middleware.RefuseNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "tenants.middleware.GroupAccessMiddleware",
]
ROOT_URLCONF = "backoffice.urls"
WSGI_APPLICATION = "backoffice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "backoffice" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.current_group",
            ],
            "builtins": ["tenants.templatetags.group_urls"],
        },
    }
]

# --- Authentication and security ----------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
PASSWORD_HASHERS = env_list(
    "DJANGO_PASSWORD_HASHERS",
    [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ],
)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failures of one username from one address together: failures with
# made-up names on a shared computer do not lock out its other users, and failures from
# elsewhere do not lock a person out everywhere. The client address is the socket's own
# (REMOTE_ADDR) unless DJANGO_TRUSTED_PROXY_COUNT says how many proxies in front of the app
# append to X-Forwarded-For, so a forged header cannot reset or dodge the counter.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "backoffice.views.locked_out"
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "backoffice.core.client_address.client_address"
AXES_VERBOSE = False

SECURE = env_bool("DJANGO_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "backoffice.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# A strict Content-Security-Policy: scripts, styles, images and fonts only from this site's
# own static files; no inline <script>, style="…" or on…= handlers anywhere (htmx is told not
# to inject its indicator <style> and not to eval, see base.html). Checked on every page by
# tests/backoffice/test_csp.py and in the browser tests (no violations in the console).
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
if env_bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Background jobs ----------------------------------------------------------------------
# Django's tasks framework with the queue in PostgreSQL (public schema), so a queued job
# survives a restart of the web process or the worker. `manage.py worker` runs the jobs and
# the schedule (backoffice/jobs/); `make run` starts it beside the web server.
# See docs/adr/0008-background-jobs.md.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- Caching ------------------------------------------------------------------------------
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

# --- Language, time, money ----------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "backoffice" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
# Only money is grouped (by the `euro` filter, format_euro); years, entry and decision
# numbers and other integers are identifiers and never get a separator (docs/adr/0020).
USE_THOUSAND_SEPARATOR = False

# --- Files --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media-not-served/"  # files are only served through access-checked views
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Mail ---------------------------------------------------------------------------------
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": (
            {"host": os.environ.get("DJANGO_EMAIL_HOST", "localhost")}
            if not DEBUG and "DJANGO_EMAIL_BACKEND" not in os.environ
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "buurtkas@localhost")

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "api.errors.problem_exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": None,
}
# Requests per API key (api/throttling.py); above it 429 with Retry-After.
API_KEY_RATE = os.environ.get("API_KEY_RATE", "600/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Buurtkas rapportage-API",
    "DESCRIPTION": (BASE_DIR / "api" / "description.md").read_text(encoding="utf-8"),
    "VERSION": "1.1.0",  # api.middleware.API_VERSION
    "CONTACT": {
        "name": "Buurtkas, ondersteuningsorganisatie",
        "email": os.environ.get("API_CONTACT_EMAIL", "api@buurtkas.example"),
        "url": os.environ.get("API_CONTACT_URL", "https://buurtkas.example/api/v1/docs"),
    },
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.design_rules_hook",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- History and import/export --------------------------------------------------------------
SIMPLE_HISTORY_REVERT_DISABLED = True
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
# Off: import-export's own escaping only drops a first "=" and turns every cell into text.
# Every resource neutralises its values instead (backoffice.core.exports).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "buurtkas": {"handlers": ["console"], "level": "INFO"},
    },
}
