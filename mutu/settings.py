"""Settings for Sasaran Mutu: one module, configured from the environment.

Every value comes from an environment variable (or a `.env` file beside manage.py) with a
development default. A malformed value stops start-up with an ImproperlyConfigured error
naming the variable, rather than running with a guess.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _env_bool(name, default):
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


DEBUG = _env_bool("DEBUG", True)
SECRET_KEY = env.str("SECRET_KEY", default="" if not DEBUG else "dev-only-insecure-key-change-me")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "mutu",
    "sasaran",
    "sasaran.skm",
    "sasaran.perizinan",
    "sasaran.siklus",
    "sop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy: see CONTENT_SECURITY_POLICY
    "mutu.middleware.AdminInlineStylesMiddleware",  # the admin's inline styles: see there
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sasaran.access.request_memo_middleware",  # the access helpers asked once a request
    "mutu.middleware.NoStoreMiddleware",  # signed-in pages, downloads, forms: not cached
    "mutu.uploads.RefusedUploadMiddleware",  # an oversized file reaches its form as refused
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mutu.urls"
WSGI_APPLICATION = "mutu.wsgi.application"

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
                "sasaran.context_processors.navigation",
            ],
        },
    },
]

# SQLite file by default (the embedded database for `make run`); PostgreSQL by DATABASE_URL.
try:
    DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
except Exception as exc:  # environ raises several kinds for a bad URL
    raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A connection per request costs ~5 ms on PostgreSQL (NOTES.md): keep them open.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Test runs sharing one server (several checkouts) each name their own test database.
    if env.str("TEST_DATABASE_NAME", default=""):
        DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASE_ROUTERS = ["mutu.routers.UnmanagedModelsHaveNoTable"]  # so `dumpdata` skips them

# No state in the process: sessions in the database, the cache in Redis when REDIS_URL is
# set and otherwise in the database too, so several app servers can serve one office.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "sasaran.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login protection: after 5 failed logins for one account from one address, that account is
# refused from that address for 15 minutes. Counting the pair, not the address alone, keeps
# an office behind one address working while one person mistypes (or someone guesses), and
# the account's owner can still log in from elsewhere. No failure is answered slowly: a
# sleeping worker would slow every page for everyone.
AXES_ENABLED = _env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_CLIENT_IP_CALLABLE = "sasaran.client_address.client_address"
# Behind the office's web server: how many proxies of our own stand in front of the app (0:
# none, the address is the connection's) and the header they pass the visitor's address in.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="X-Forwarded-For")
CLIENT_IP_META = "HTTP_" + CLIENT_IP_HEADER.upper().replace("-", "_")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Indonesian first; English on request. Other languages are not offered, so a browser asking
# for them gets Indonesian number formats rather than a surprise.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# The place written above the signature of the printed documents ("Jakarta, 1 Juli 2023"):
# the units record no city, and one installation serves the offices of one city.
SIGNATURE_PLACE = env.str("SIGNATURE_PLACE", default="Jakarta").strip() or "Jakarta"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Evidence files live outside the static root and are served through a permission check.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

# Redis, when present, carries the cache and the background job queue; without it the
# database holds the cache and a thread of the app renders background jobs.
# django-rq (its queue admin pages, `manage.py rqworker`) is installed only with Redis: without
# it there is no queue to show, and its pages would try a Redis that is not there.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "sasaran_cache",
            # The public survey remembers used form tokens for a day: no early culling.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
# Outgoing mail (the reminders) from one variable: smtp://user:password@host:587,
# smtp+tls://... (STARTTLS) or smtp+ssl://... (django-environ's email_url). Without it the
# mails are printed on the console (`make run`).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Sasaran Mutu <sasaran-mutu@localhost>")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# The address the links in mails start with (no trailing slash).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
# Officers are reminded of a period this many days before its deadline (and after it).
REMINDER_DAYS_BEFORE = env.int("REMINDER_DAYS_BEFORE", default=3)
# When the job queue's cron scheduler (`rq cron sasaran.siklus.cron`) sends the reminders.
REMINDER_CRON = env.str("REMINDER_CRON", default="0 0 * * *")  # UTC: 07:00 WIB
# Render background jobs in the request's own thread after commit (tests).
EXPORT_JOBS_INLINE = _env_bool("EXPORT_JOBS_INLINE", False)
# A parent unit's comparison over more units than this is rendered in the background.
EXPORT_BACKGROUND_UNITS = env.int("EXPORT_BACKGROUND_UNITS", default=20)
# The public survey's answers per 10 minutes: per address for a browser without the survey's
# device cookie, per device cookie, and for all devices behind one address together.
SKM_PUBLIC_RATE_LIMIT = env.int("SKM_PUBLIC_RATE_LIMIT", default=10)
SKM_PUBLIC_DEVICE_LIMIT = env.int("SKM_PUBLIC_DEVICE_LIMIT", default=30)
SKM_PUBLIC_ADDRESS_LIMIT = env.int("SKM_PUBLIC_ADDRESS_LIMIT", default=200)
# A counter tablet registered as a kiosk device is counted by itself, not by its address:
# one answer every second is more than a counter sees, and bounds a copied kiosk cookie.
SKM_PUBLIC_KIOSK_LIMIT = env.int("SKM_PUBLIC_KIOSK_LIMIT", default=600)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
# The reason of a change ("Dikembalikan: <the reviewer's reason>") may be as long as the
# form allows: a text column, not the default 100 characters that PostgreSQL enforces.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Security. With DEBUG off (production) cookies are HTTPS-only and the security headers
# are on; `manage.py check --deploy` is clean (tests/test_deploy.py). Behind the office's
# web server, which terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_bool("SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)  # a working day
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "mutu.views.csrf_failure"  # "the form expired" in Indonesian
# Uploads: each form allows at most 5 MB per file (evidence, workbooks). Form fields are capped
# at 10 MB by Django; file parts are not, so SizeLimitUploadHandler (mutu/uploads.py) stops
# reading a request whose Content-Length, or whose received file bytes, pass 10 MB, and the
# form shows its size message. A proxy in front should refuse such bodies first.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_BYTES = env.int("FILE_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "mutu.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no
# inline scripts, event handlers, <style> elements or style attributes (static/js/app.js and
# static/css/*.css hold them; a computed size, such as a progress bar's width, is set from
# app.js). The admin keeps inline styles: mutu.middleware.AdminInlineStylesMiddleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
FILE_UPLOAD_PERMISSIONS = 0o640

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # Failed logins and lockouts are security events: always logged.
    "loggers": {"axes": {"level": "INFO"}, "sasaran.security": {"level": "INFO"}},
}
