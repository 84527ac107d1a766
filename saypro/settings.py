"""Settings for SayPro Marketplace Engagement.

Everything that differs between a laptop, CI and production comes from
environment variables (see docs/operations.md, which lists every one of them).
The defaults give the embedded, single-process mode: SQLite in WAL mode, the
in-memory channel layer, and Huey on a SQLite file, all under ``var/``.
Setting ``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL`` gives the scale-out
mode, where any number of web processes and workers share state.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SAYPRO_VAR_DIR", BASE_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, *, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def stored_secret_key() -> str:
    """Return the secret key kept under var/, creating it (mode 0600) on first run."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(get_random_secret_key())
    return path.read_text().strip()


TESTING = "PYTEST_VERSION" in os.environ

SECRET_KEY = os.environ.get("SECRET_KEY") or stored_secret_key()
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default="127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default="")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "channels",
    "django_htmx",
    "ninja",  # serves the interactive API docs from local static files, not a CDN
    "huey.contrib.djhuey",
    "saypro.core",
    "saypro.accounts",
    "saypro.catalog",
    "saypro.coaching",
    "saypro.reviews",
    "saypro.insights",
    "saypro.improvements",
    "saypro.messaging",
    "saypro.notifications",
    "saypro.academy",
    "saypro.rewards",
    "saypro.surveys",
    "saypro.engagement",
    "saypro.campaigns",
    "saypro.support",
    "saypro.consultations",
    "saypro.webinars",
    "saypro.knowledge",
    "saypro.analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "saypro.core.middleware.FormAddressMiddleware",
]

# What of MIDDLEWARE applies to an API call with a bearer token and no cookie, and the
# (method, route) pairs of async endpoints such calls take without the rest (core.lane).
TOKEN_LANE_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TOKEN_LANE_ROUTES = {("POST", "api/v1/conversations/<conversation_id>/messages")}

ROOT_URLCONF = "saypro.urls"
ASGI_APPLICATION = "saypro.asgi.application"
WSGI_APPLICATION = "saypro.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "saypro" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "saypro.core.context_processors.navigation",
                "saypro.notifications.context_processors.bell",
                "saypro.surveys.context_processors.survey_card",
                "saypro.campaigns.context_processors.banner",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, converting each statement's placeholders once (saypro/core/backends).
    DATABASES["default"]["ENGINE"] = "saypro.core.backends.sqlite3"
    # WAL lets readers work while one writer commits; IMMEDIATE transactions take
    # the write lock up front so two writers queue instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Request threads are reused (saypro.core.handlers), so each keeps its connection:
    # opening one (a file, the WAL, three PRAGMAs) cost more than a simple page's queries.
    DATABASES["default"]["CONN_MAX_AGE"] = None
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A pool per process (psycopg_pool): a request borrows a connection instead of
    # forking a PostgreSQL backend for each one.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX", "20")),
        "timeout": 20,
    }
# Threads per process for the database work of hot async endpoints (sending a
# message; see saypro.core.database_threads). SQLite has one writer at a time.
DATABASE_THREADS = int(
    os.environ.get(
        "DATABASE_THREADS",
        # 0 (tests): in the caller's thread, where the test's transaction is.
        "0" if TESTING else "1" if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "4",
    )
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer, task queue, cache ------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", default=TESTING)

if REDIS_URL:
    # Pub/sub: a push is one PUBLISH, not the core layer's per-channel queues (which
    # delayed deliveries by seconds under load); missed pushes come from the event table.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "saypro:channels"},
        }
    }
    HUEY = {
        "name": "saypro",
        "huey_class": "huey.RedisHuey",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "utc": True,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
    CACHES = {
        "default": {
            # Fails open (saypro/core/cache.py): an outage is a miss, never an error.
            "BACKEND": "saypro.core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "saypro",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    HUEY = {
        "name": "saypro",
        "huey_class": "huey.SqliteHuey",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "utc": True,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
    CACHES = {"default": {"BACKEND": "saypro.core.cache.LocalCache"}}

# --- Accounts -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    # Office staff's admin permissions (saypro.accounts.backends): no per-person rows.
    "saypro.accounts.backends.OfficeBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "catalog:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "saypro.accounts.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[SayPro] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    # A new verification code: 3 per 15 minutes per address. allauth's 1 per 3 minutes refused
    # the login that follows three wrong codes (which end the code) as "too many attempts".
    "confirm_email": "3/15m/key",
}

# --- Email ------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "SayPro Marketplace <no-reply@saypro.test>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where anyone, signed in or not, can write to the marketplace office (shown on help pages).
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "support@saypro.test")

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en-za"
TIME_ZONE = os.environ.get("TIME_ZONE", "Africa/Johannesburg")
USE_I18N = True
# Our wording of third-party strings (allauth's pages in sentence case): locale/en.
LOCALE_PATHS = [BASE_DIR / "saypro" / "locale"]
USE_TZ = True
MARKETPLACE_CURRENCY = os.environ.get("MARKETPLACE_CURRENCY", "ZAR")

# --- Webinars and workshops ---------------------------------------------------
# How many months ahead a monthly series keeps its sessions scheduled.
WEBINARS_SERIES_MONTHS_AHEAD = int(os.environ.get("WEBINARS_SERIES_MONTHS_AHEAD", "3"))
# The join link shows this many minutes before the start (until the end).
WEBINARS_JOIN_OPENS_MINUTES = 15

# --- Static and media ---------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "saypro" / "static"]
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request when it is missing
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Message attachments: private (never under MEDIA_URL); served by a view that
    # checks the person may read the conversation.
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("ATTACHMENTS_ROOT", str(VAR_DIR / "attachments")),
            "base_url": None,
        },
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- Security -------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx and the API client read it to send X-CSRFToken.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}

# --- API ----------------------------------------------------------------------
API_RATE_LIMITS = {
    "anonymous": os.environ.get("API_RATE_LIMIT_ANONYMOUS", "120/min"),
    "authenticated": os.environ.get("API_RATE_LIMIT_AUTHENTICATED", "1200/min"),
}

# How long an API token, once read, authenticates without a query (per process):
# a token revoked in another process stops working within this many seconds.
API_TOKEN_CACHE_SECONDS = float(os.environ.get("API_TOKEN_CACHE_SECONDS", "5"))

# --- Reviews and moderation ---------------------------------------------------
# Words that hold a review for moderation and that the response coach flags:
# one per line in PROFANITY_WORDS_FILE (default: the built-in list).
PROFANITY_WORDS_FILE = Path(
    os.environ.get("PROFANITY_WORDS_FILE", BASE_DIR / "saypro" / "core" / "profanity.txt")
)
PROFANITY_WORDS = [
    line.strip().lower()
    for line in PROFANITY_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
# The response coach flags these in a seller's draft too (on top of its own list).
COACH_PROFANITY_WORDS = PROFANITY_WORDS

# --- Messaging ------------------------------------------------------------------
# A buyer message that starts (or re-opens) a wait is due this many hours later.
MESSAGING_RESPONSE_GOAL_HOURS = int(os.environ.get("MESSAGING_RESPONSE_GOAL_HOURS", "24"))
# Contact details and links in a message: "warn" asks the sender to confirm, "mask" hides them.
MESSAGING_CONTACT_POLICY = os.environ.get("MESSAGING_CONTACT_POLICY", "warn")
# Per person: messages sent, and conversations started ("<count>/<period>", period s/m/h/d).
MESSAGING_RATE_LIMITS = {
    "send": os.environ.get("MESSAGING_RATE_LIMIT_SEND", "60/m"),
    "start": os.environ.get("MESSAGING_RATE_LIMIT_START", "20/h"),
}
# The same text (not a quick reply) in this many conversations within an hour is spam.
MESSAGING_SPAM_REPEATS = int(os.environ.get("MESSAGING_SPAM_REPEATS", "5"))
MESSAGING_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
# How often an open socket re-joins its channel group and checks the event table for
# anything a lost push did not bring (e.g. while Redis restarted).
MESSAGING_SOCKET_RESYNC_SECONDS = float(os.environ.get("MESSAGING_SOCKET_RESYNC_SECONDS", "5"))
if MESSAGING_CONTACT_POLICY not in {"warn", "mask"}:
    raise ImproperlyConfigured("MESSAGING_CONTACT_POLICY must be 'warn' or 'mask'.")

# --- Rewards --------------------------------------------------------------------
# A store's badges are re-evaluated this many seconds after the first event (a closed wait,
# an answered review) that may change them; later events within the delay join that run.
REWARDS_BADGE_DEBOUNCE_SECONDS = int(os.environ.get("REWARDS_BADGE_DEBOUNCE_SECONDS", "300"))

# --- Surveys --------------------------------------------------------------------
# Nobody is asked two surveys less than this many days apart (any surveys).
SURVEYS_MIN_DAYS_BETWEEN = int(os.environ.get("SURVEYS_MIN_DAYS_BETWEEN", "30"))
# An invitation can be answered for this many days.
SURVEYS_INVITATION_DAYS = int(os.environ.get("SURVEYS_INVITATION_DAYS", "14"))
# A settled conversation counts as closed after this many quiet hours.
SURVEYS_CONVERSATION_QUIET_HOURS = int(os.environ.get("SURVEYS_CONVERSATION_QUIET_HOURS", "24"))

# --- Engagement -----------------------------------------------------------------
# The product-page prompt "usually replies within …": the median first-response time of
# a store's conversations from the last ENGAGEMENT_RESPONSE_DAYS days, shown only with at
# least ENGAGEMENT_RESPONSE_MIN_SAMPLE of them and when it is at most ENGAGEMENT_RESPONSE_MAX_HOURS.
ENGAGEMENT_RESPONSE_DAYS = int(os.environ.get("ENGAGEMENT_RESPONSE_DAYS", "90"))
ENGAGEMENT_RESPONSE_MIN_SAMPLE = int(os.environ.get("ENGAGEMENT_RESPONSE_MIN_SAMPLE", "5"))
ENGAGEMENT_RESPONSE_MAX_HOURS = int(os.environ.get("ENGAGEMENT_RESPONSE_MAX_HOURS", "12"))

# --- Support tickets -------------------------------------------------------------
# First-response and resolution targets per priority, in hours on a 24/7 clock. The
# resolution clock stops while a ticket waits on the seller (see docs/support.md).
SUPPORT_TARGETS = {
    "urgent": {"first_response_hours": 1, "resolution_hours": 4},
    "high": {"first_response_hours": 4, "resolution_hours": 24},
    "normal": {"first_response_hours": 8, "resolution_hours": 72},
    "low": {"first_response_hours": 24, "resolution_hours": 120},
}
# Per person: tickets opened ("<count>/<period>", period s/m/h/d).
SUPPORT_TICKET_RATE_LIMIT = os.environ.get("SUPPORT_TICKET_RATE_LIMIT", "10/h")
# A resolved ticket closes by itself (unrated) after this many days; until then it can be reopened.
SUPPORT_AUTO_CLOSE_DAYS = 7

# --- Consultations --------------------------------------------------------------
# A seller may cancel or move a booked consultation up to this many hours before it starts.
CONSULTATIONS_NOTICE_HOURS = int(os.environ.get("CONSULTATIONS_NOTICE_HOURS", "24"))
# A slot can be booked until this many hours before it starts (the expert prepares).
CONSULTATIONS_BOOKING_NOTICE_HOURS = int(os.environ.get("CONSULTATIONS_BOOKING_NOTICE_HOURS", "2"))
# An expert's weekly availability is turned into bookable slots this many weeks ahead.
CONSULTATIONS_WEEKS_AHEAD = int(os.environ.get("CONSULTATIONS_WEEKS_AHEAD", "4"))
