"""Settings, all taken from environment variables (see .env.example).

With nothing set this is the embedded default: SQLite, local-memory cache, the in-memory channel layer,
Celery tasks run eagerly and e-mail printed to the console. Setting REDIS_URL switches the cache, the
channel layer and the Celery broker to Redis; DATABASE_URL switches the database.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.client_address import parse_networks
from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-key-not-for-production-" + "x" * 32

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_htmx",
    "accounts",
    "safeguarding",
    "volunteers",
    "mentees",
    "scheduling",
    "chat",
    "badges",
    "frontend",
    "demo",
    "django.forms",  # the widgets' own templates, after frontend's (see FORM_RENDERER)
]

MIDDLEWARE = [
    "config.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "frontend.middleware.UserTimezoneMiddleware",
    "frontend.middleware.UserLanguageMiddleware",
    "frontend.middleware.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.ApiNoStoreMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Form widgets render through the project's templates (cached in production), but select widgets are
# written in Python: see frontend/renderer.py.
FORM_RENDERER = "frontend.renderer.FormRenderer"

# Database: a SQLite file unless DATABASE_URL says otherwise. Connections are checked before reuse,
# so a database restart needs no application restart.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database must fail fast (a clear error to the user), not hang a request or a socket.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 5)
    if env_bool("DB_POOL", True):
        # A connection pool per process. Under ASGI every request runs its database work in a thread of its
        # own, and Django's connections are per thread: with persistent connections (CONN_MAX_AGE > 0) each
        # request opened a new PostgreSQL connection and left it open until PostgreSQL ran out of them
        # ("too many clients already"). The pool hands each request a connection and takes it back at the
        # end; past DB_POOL_MAX_SIZE a request waits up to DB_POOL_TIMEOUT seconds for one instead of failing.
        # Sizing (processes x DB_POOL_MAX_SIZE < max_connections) is in docs/deploy.md. DB_POOL=0 turns it
        # off, e.g. behind PgBouncer, where DB_CONN_MAX_AGE applies again.
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django's pool refuses persistent connections
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": env_int("DB_POOL_MIN_SIZE", 2),
            "max_size": env_int("DB_POOL_MAX_SIZE", 10),
            # Also how long a request waits while the database is unreachable: short, like DB_CONNECT_TIMEOUT,
            # so an outage answers with an error instead of hanging requests and chat sends.
            # Below daphne's 5 s handshake limit, so a socket opened during an outage is told 4503 (reconnect)
            # before daphne drops it without an answer.
            "timeout": env_int("DB_POOL_TIMEOUT", 3),
            # How long the pool keeps trying, in the background, to replace connections lost to an outage.
            "reconnect_timeout": env_int("DB_POOL_RECONNECT_TIMEOUT", 60),
        }
        # Parameters bound on the server, and a statement run DB_PREPARE_THRESHOLD times on a connection
        # prepared there: PostgreSQL then plans a page's joins once per connection, not on every request
        # (planning a conversations page's six-table join cost 2-3 ms of PostgreSQL's CPU, running it 0.4).
        # Only with the pool: PgBouncer's transaction mode (DB_POOL=0) may not keep prepared statements.
        # -1 binds on the client and prepares nothing, as Django does by default. A migration that changes a
        # column's type outdates the prepared statements that read it: config/database.py prepares them anew.
        _prepare_threshold = env_int("DB_PREPARE_THRESHOLD", 5)
        if _prepare_threshold >= 0:
            DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
            DATABASES["default"]["OPTIONS"]["prepare_threshold"] = _prepare_threshold
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A process that hangs or dies unnoticed inside a transaction must not hold its row locks (a chat
    # conversation's, a volunteer's) for good: a statement gives up waiting for a lock after
    # DB_LOCK_TIMEOUT_MS (the user hears "try again"), and the server ends a session left idle inside a
    # transaction after DB_IDLE_IN_TRANSACTION_TIMEOUT_MS, which releases its locks. 0 turns either off.
    _timeouts = {
        "lock_timeout": env_int("DB_LOCK_TIMEOUT_MS", 5000),
        "idle_in_transaction_session_timeout": env_int("DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", 30000),
    }
    for _name, _value in _timeouts.items():
        if _value < 0:
            raise ImproperlyConfigured(f"{_name} must be 0 (off) or a number of milliseconds, not {_value}")
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(
        [_options.get("options", ""), *(f"-c {name}={value}" for name, value in _timeouts.items())]
    ).strip()
    # Django's backend with the project's operations (config.database: a join's column types compared once)
    DATABASES["default"]["ENGINE"] = "config.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite connections are cheap; reusing them across threads buys nothing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME", "") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",  # one client per process, not per request
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "mentoring"),
            # A Redis that stops answering must not hold a request, or the chat's database thread (the rate
            # counters), for good: the call fails after this long and the user hears "try again".
            "OPTIONS": {
                "socket_timeout": env_int("REDIS_SOCKET_TIMEOUT_MS", 3000) / 1000,
                "socket_connect_timeout": env_int("REDIS_SOCKET_TIMEOUT_MS", 3000) / 1000,
            },
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            # Pub/sub: a group_send is one PUBLISH and each process reads a stream of pushed messages. The
            # list-based RedisChannelLayer pays round trips per message on both ends, and drops messages
            # silently once a process' inbox holds `capacity` (100) of them; bench/chat.py measured it
            # at less than half the rate. Neither layer stores anything: a client that missed a message
            # (Redis restart, process death) gets it from `sync`, since messages are stored first.
            # chat.events.PubSubChannelLayer is channels_redis.pubsub.RedisPubSubChannelLayer whose sockets
            # are told (and close) when the subscription breaks, rather than miss messages silently.
            "BACKEND": "chat.events.PubSubChannelLayer",
            # redis-py 8 defaults to a 5 s socket time-out, which breaks the layer's blocking
            # reads on idle sockets (channels_redis#422).
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": None}]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# This process' own copies of what the default cache keeps briefly (a long list's count), read before asking
# Redis: each entry ends when the shared one does (config.pagination).
CACHES["process"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "process",
    "OPTIONS": {"MAX_ENTRIES": 10000},
}

# Celery: Redis as broker when configured, otherwise tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = {
    "suspend-unvetted-pairings": {"task": "scheduling.tasks.suspend_unvetted_pairings", "schedule": 3600.0},
    "purge-retained-evidence": {"task": "chat.tasks.purge_retained_evidence", "schedule": 86400.0},
    "badges-three-months": {"task": "badges.tasks.three_months_sweep", "schedule": 86400.0},
}

# Badges: every id in a credential is an absolute URL under BADGES_BASE_URL (issuer profile, did:web
# document, status list), so it must be the public address of the site once credentials leave it.
BADGES_BASE_URL = env_str("BADGES_BASE_URL", "http://localhost:8000")
# Issuer keys taken from the environment rather than generated on first use: "slug=key,slug=key", each key
# the base64url of a raw 32-byte Ed25519 private key. Keys given here are never stored in the database.
BADGES_ISSUER_KEYS = dict(item.split("=", 1) for item in env_list("BADGES_ISSUER_KEYS", []) if "=" in item)

# Chat: at most this many messages per user in this many seconds.
CHAT_RATE_LIMIT = (env_int("CHAT_RATE_MESSAGES", 20), env_int("CHAT_RATE_SECONDS", 10))
# A chat publish to Redis that takes longer counts as failed (retried once on a fresh connection, then the
# process' sockets close with 4503): the sender is acknowledged only after a publish that succeeded.
CHAT_PUBLISH_TIMEOUT = env_int("CHAT_PUBLISH_TIMEOUT_MS", 3000) / 1000

# Erasure keeps what safeguarding must keep (messages of a conversation with an open report or a held
# message) for this many days after the account was erased, then a daily job deletes it. Six years: the
# usual limitation period for claims in the partner countries, and what child-safeguarding guidance in
# Europe commonly asks records about a young person to be kept for.
SAFEGUARDING_RETENTION_DAYS = env_int("SAFEGUARDING_RETENTION_DAYS", 6 * 365)

# Every log-in (API session and token, admin, Django LoginView) passes the failed log-in limits.
AUTHENTICATION_BACKENDS = ["accounts.backends.LimitedModelBackend"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "display_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("uk", _("Ukrainian")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("it", _("Italian")),
    ("el", _("Greek")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The web pages (frontend/): Django's own log-in, log-out and password views.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "landing"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "mentoring@localhost")

# Security. Everything below is on unless DEBUG; `manage.py check --deploy` is clean with DEBUG off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"
# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks, comma-separated); see
# config/client_address.py. Empty: the header is ignored and REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
parse_networks(TRUSTED_PROXIES)  # a bad entry stops the start-up

REST_FRAMEWORK = {
    # Domain refusals (common.errors.DomainError) and Django validation errors become 400s with a
    # field-level message here, once.
    "EXCEPTION_HANDLER": "config.exceptions.exception_handler",
    # Token first, so an unauthenticated call answers 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.PageNumberPagination",
    # DRF's JSON, written by orjson (config/renderers.py)
    "DEFAULT_RENDERER_CLASSES": [
        "config.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON with a nesting and a size limit (400, never a RecursionError); forms and multipart as usual.
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "config.throttling.AnonRateThrottle",
        "config.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("THROTTLE_ANON", "120/min"),
        "user": env_str("THROTTLE_USER", "600/min"),
        "signup": env_str("THROTTLE_SIGNUP", "10/hour"),
        # the public badge pages, issuer documents and the verifier, for anyone
        "badges": env_str("THROTTLE_BADGES", "60/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Mentoring marketplace API",
    "DESCRIPTION": (
        "Volunteers, mentees and coordinators of partner organisations. Authenticate with the "
        "session cookie (pages) or `Authorization: Token <key>` (clients). Objects you may not see "
        "answer 404. Every path below is also served under /api/v1/ (same operations): clients with "
        "tokens should use /api/v1/, which stays stable when a later version changes."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["config.schema.drop_versioned_copies"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LanguageLevelEnum": "accounts.models.LanguageLevel",
        "VettingStatusEnum": "volunteers.models.VettingStatus",
        "ConsentMethodEnum": "mentees.models.ConsentMethod",
        "HelpRequestStatusEnum": "mentees.models.HelpRequestStatus",
        "UrgencyEnum": "mentees.models.Urgency",
        "RoleEnum": "accounts.models.Role",
        "EndKindEnum": "scheduling.models.EndKind",
        "PairingStatusEnum": "scheduling.models.PairingStatus",
        "SessionStatusEnum": "scheduling.models.SessionStatus",
        "MatchRunStatusEnum": "scheduling.models.MatchRunStatus",
        "MessageKindEnum": "chat.models.MessageKind",
        "MessageStatusEnum": "chat.models.MessageStatus",
        "ConversationStateEnum": "chat.models.ConversationState",
        "ReportStatusEnum": "chat.models.ReportStatus",
        "ContributionEnum": "badges.models.Contribution",
        "MilestoneEnum": "badges.models.Milestone",
        "NominationStatusEnum": "badges.models.NominationStatus",
    },
}

LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be plain or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Only what happened, never who or what they wrote: no request bodies, no personal data.
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "filters": {"request_id": {"()": "config.logging.RequestIdFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.security.DisallowedHost": {"level": "ERROR"}},
}
