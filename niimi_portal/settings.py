"""Settings for the Niimi portal, read from the environment.

Development (DJANGO_DEBUG=1, as `make run` sets) and the tests (DJANGO_TESTING=1, as the test
settings and `make test`/`make lint` set) run on an SQLite file in the project folder unless
DATABASE_URL says otherwise. Production sets DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and
DATABASE_URL, and stops with a clear message when one is missing or a number is not a number.
"""

import os
import tempfile
import urllib.parse
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} は整数で指定してください（いまの値: {value!r}） ({name} must be a whole number)."
        ) from None


DEBUG = env_bool("DJANGO_DEBUG")
# Only an explicit DJANGO_TESTING=1 (tests/settings.py, `make test`, `make lint`) gives the tests their
# development-safe defaults; importing pytest does not. Production behaviour is tested explicitly.
TESTING = env_bool("DJANGO_TESTING")
# Demo mode (niimi_portal/lib/demo_mode.py): a banner on every page and PDF, デモ labels on invented records
# and an example contact instead of the city's. On for `make run` (the demo); off in production and, unless a
# test turns it on, in the tests. `loaddemo` refuses to run with it off (unless --force).
DEMO_MODE = env_bool("DJANGO_DEMO_MODE")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-not-for-production"  # noqa: S105  # nosec B105
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY が設定されていません。本番環境では秘密鍵を環境変数で指定してください"
            " (DJANGO_SECRET_KEY is not set; set it, or DJANGO_DEBUG=1 for local development)."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if (DEBUG or TESTING) else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "niimi_portal.admin_site.NiimiAdminConfig",  # django.contrib.admin with the city's default site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "dbbackup",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "niimi_portal",
    "organizations",
    "staff",
    "grants",
    "offices",
    "library",
    "outbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers a cached public page before sessions, CSRF and auth run (niimi_portal/caching.py).
    "niimi_portal.caching.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a second factor (django-otp); then who must have one.
    "django_otp.middleware.OTPMiddleware",
    "niimi_portal.middleware.TwoFactorMiddleware",
    "niimi_portal.middleware.SlidingSessionMiddleware",
    "niimi_portal.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "niimi_portal.urls"

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
                "django.template.context_processors.csp",
                "niimi_portal.context_processors.portal",
                "niimi_portal.context_processors.display",
            ],
        },
    },
]

WSGI_APPLICATION = "niimi_portal.wsgi.application"

# postgres://…: PostgreSQL through psycopg 3. No DATABASE_URL: the embedded SQLite file, but only in
# development and tests; production never falls back to it silently.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if not DATABASE_URL and not (DEBUG or TESTING):
    raise ImproperlyConfigured(
        "DATABASE_URL が設定されていません。本番環境ではデータベースの URL（postgres://…）を環境変数で指定してください"
        " (DATABASE_URL is not set; set it, or DJANGO_DEBUG=1 for local development on SQLite)."
    )
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a lock instead of failing at once when two requests write together.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# PostgreSQL: Django's default client-side binding, which works behind PgBouncer in transaction mode.
# server_side_binding with psycopg's prepared statements was measured at scale 100 within the noise
# of this machine (issue 28), so it is not turned on.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("DJANGO_TEST_DATABASE_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

if TESTING:
    # Fast hashing keeps the suite quick; production uses Django's default (PBKDF2).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:dashboard"  # liaisons land in their workspace; policy staff are sent on to the admin
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
# The admin in the words of a city clerk: replaces some of Django's own Japanese strings.
LOCALE_PATHS = [BASE_DIR / "niimi_portal" / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Files a browser asks for at the site's root (/favicon.ico), served by WhiteNoise as they are.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# Uploaded attachments are private: never served as static files, only through a checked view.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media-private/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Cache: Redis when CACHE_URL=redis://… (shared by every app server); otherwise local memory in
# development and tests, and a folder shared by the workers of one machine in production, so that
# invalidation reaches every worker.
CACHE_URL = os.environ.get("CACHE_URL", "")
# When the cache fails (niimi_portal/lib/shared_cache.py): Redis's connect and read timeout in seconds, how
# long the cache is then left alone before it is tried again, and how often the failure is logged.
CACHE_SOCKET_TIMEOUT = float(os.environ.get("CACHE_SOCKET_TIMEOUT", "0.5"))
CACHE_RETRY_SECONDS = env_int("CACHE_RETRY_SECONDS", 10)
CACHE_FAILURE_LOG_SECONDS = env_int("CACHE_FAILURE_LOG_SECONDS", 60)
if CACHE_URL.startswith(("redis://", "rediss://")):
    # Short timeouts: a Redis that is down or slow costs a fraction of a second, then the portal works
    # without it (niimi_portal/lib/shared_cache.py).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": CACHE_SOCKET_TIMEOUT, "socket_timeout": CACHE_SOCKET_TIMEOUT},
        }
    }
elif DEBUG or TESTING:
    # Room for every demo page with its kept parts and its ふりがな variant (Django's default is 300 entries,
    # beyond which it drops a third of them).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10_000}}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR", str(Path(tempfile.gettempdir()) / "niimi-portal-cache")),
            "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_CACHE_MAX_ENTRIES", 10_000)},
        }
    }
# Whole public pages for anonymous visitors (niimi_portal/caching.py); 0 turns it off.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 300)
# How long nginx may keep a public page itself (deploy/nginx: `X-Accel-Expires` on each page any anonymous visitor
# may share; 0: never). A change reaches residents through nginx within this many seconds (issue 36: ≤ 10).
PUBLIC_PAGE_PROXY_SECONDS = env_int("PUBLIC_PAGE_PROXY_SECONDS", 5)
PUBLIC_PAGE_CACHE_URL_NAMES = {"home", "about", "search", "accessibility", "organizations:*", "grants:*", "city:*"}
# Rows (blank ones included) an area or statistics import reads from one file (organizations/imports.py).
AREA_IMPORT_MAX_ROWS = env_int("AREA_IMPORT_MAX_ROWS", 50_000)
# PDFs rendered for one client address per minute (niimi_portal/lib/throttle.py); more get a 429 page.
PDF_RENDERS_PER_MINUTE = int(os.environ.get("PDF_RENDERS_PER_MINUTE", "10"))
# /_baseline, the load benchmark's yardstick (bench/load.py sets it): 404 unless on, off in production.
BENCHMARK_BASELINE = env_bool("BENCHMARK_BASELINE", default=DEBUG or TESTING)
# X-Page-Cache: hit|miss on cached pages, for development and tests only (it tells an outsider what is cached).
PUBLIC_PAGE_CACHE_HEADER = env_bool("PUBLIC_PAGE_CACHE_HEADER", default=DEBUG or TESTING)

# Backups (django-dbbackup): database dumps and media archives into one folder.
STORAGES["dbbackup"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": os.environ.get("DJANGO_BACKUP_DIR", str(BASE_DIR / "backups"))},
}
DBBACKUP_SEND_EMAIL = False
DBBACKUP_HOSTNAME = "niimi-portal"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# django-axes: lock an account/IP pair out after repeated failed logins.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
# Behind the reverse proxy REMOTE_ADDR is the proxy's: the lockout (and any per-client limit) keys on the
# address the trusted proxies put in X-Forwarded-For (niimi_portal/lib/client.py). 0 = no proxy.
PORTAL_TRUSTED_PROXY_COUNT = int(os.environ.get("PORTAL_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "niimi_portal.lib.client.client_address"

# Sessions and django-axes's login failures live in the database, never in the cache: with Redis down,
# signing in and staying signed in still work (niimi_portal/lib/shared_cache.py).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Staff sessions end after a working day without activity (refreshed by SlidingSessionMiddleware).
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 9 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (Django's own): scripts only from our static files, never inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
if not DEBUG and not TESTING:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# The city's own facts: departments are reorganized, mayors change. Templates and notices
# read these, never literals. Each can be overridden from the environment.
PORTAL = {
    "SITE_NAME": "新見市 小規模多機能自治ポータル",
    "CITY_NAME": "新見市",
    "LOCAL_GOVERNMENT_CODE": "332119",  # 全国地方公共団体コード (岡山県新見市)
    "CONTACT_DEPARTMENT": os.environ.get("PORTAL_CONTACT_DEPARTMENT", "総務部 総合政策課 協働推進係"),
    "CONTACT_PHONE": os.environ.get("PORTAL_CONTACT_PHONE", "0867-72-6143"),
    # The rest of the contact block on every page. The address is the city hall's and the hours are a city hall's
    # usual ones (要確認: the desk's own); FAX and the form are shown only when set (要確認: the desk's FAX number,
    # the address of the city's inquiry form).
    "CONTACT_ADDRESS": os.environ.get("PORTAL_CONTACT_ADDRESS", "〒718-8501 岡山県新見市新見310番地3 新見市役所"),
    "CONTACT_FAX": os.environ.get("PORTAL_CONTACT_FAX", ""),
    "CONTACT_HOURS": os.environ.get(
        "PORTAL_CONTACT_HOURS", "平日 午前8時30分から午後5時15分まで（土曜・日曜・祝日・年末年始を除く）"
    ),
    "CONTACT_FORM_URL": os.environ.get("PORTAL_CONTACT_FORM_URL", ""),
    "CITY_SITE_URL": os.environ.get("PORTAL_CITY_SITE_URL", "https://www.city.niimi.okayama.jp/"),
    "POLICY_DIVISION": os.environ.get("PORTAL_POLICY_DIVISION", "総合政策課"),
    "MAYOR_TITLE": os.environ.get("PORTAL_MAYOR_TITLE", "新見市長"),
    "MAYOR_NAME": os.environ.get("PORTAL_MAYOR_NAME", "（市長名）"),
    "DOCUMENT_NUMBER_FORMAT": os.environ.get("PORTAL_DOCUMENT_NUMBER_FORMAT", "新総政第{番号}号"),
    # 交付の条件 printed on each 交付決定通知書 (copied into the decision when it is made).
    "GRANT_CONDITIONS": (
        "この交付金は、年度計画に定めた事業（地域の課題を解決し、地域をつくる活動）に使うこと。",
        "年度の終了後、翌年度の4月30日までに、事業ごとの実績と収支の分かる書類を添えて実績報告書を提出すること。",
        "市は実績報告書を審査して交付額を確定する。確定した額が交付した額を下回るときは、その差額を返還すること。",
        "交付金の収支を記録した帳簿と証拠書類を備え、事業を終えた年度の翌年度から5年間保存すること。",
        "市が求めたときは、事業の進み具合を報告し、帳簿などの調査に応じること。",
        "偽りその他不正な手段で交付を受けたとき、又はこの条件に違反したときは、交付決定の全部又は一部を"
        "取り消し、交付金の返還を求めることがある。",
    ),
    # 教示 (行政不服審査法・行政事件訴訟法): printed at the foot of every notice.
    "NOTICE_APPEAL_TEXT": os.environ.get(
        "PORTAL_NOTICE_APPEAL_TEXT",
        "この決定に不服があるときは、この決定があったことを知った日の翌日から起算して3か月以内に、"
        "新見市長に対して審査請求をすることができます。また、この決定の取消しを求める訴えは、"
        "この決定があったことを知った日の翌日から起算して6か月以内に、新見市を被告として"
        "（訴訟において新見市を代表する者は新見市長となります。）提起することができます。",
    ),
}

POLICY_GROUP = "総合政策課"
LIAISON_GROUP = "地域担当職員"

# The access log (アクセス記録) keeps a row this many days, then `manage.py purge_access_log` deletes it.
# Assumption the city must confirm: 3 years (1,095 days), the period its 文書管理規則 sets for
# 安全管理措置 records is not known to us yet.
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 1095)

# Two-factor sign-in (django-otp, docs/security.md): required for superusers and the 総合政策課 group,
# optional for everyone else. The issuer is the name an authenticator app shows beside the code.
OTP_TOTP_ISSUER = "新見市 小規模多機能自治"
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_TOTP_THROTTLE_FACTOR = 1
# Nobody, a superuser included, reads another person's TOTP key or QR code in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True


# -- E-mail --------------------------------------------------------------------------------------
# SMTP from the environment: EMAIL_URL (smtp://user:password@host:587, smtp+tls://… for STARTTLS,
# smtp+ssl://… for port 465), or EMAIL_HOST / EMAIL_PORT / EMAIL_HOST_USER / EMAIL_HOST_PASSWORD /
# EMAIL_USE_TLS / EMAIL_USE_SSL. Under DJANGO_DEBUG=1 without either, mail is printed to the console.
def _smtp_options():
    url = os.environ.get("EMAIL_URL", "")
    if url:
        parts = urllib.parse.urlsplit(url)
        return {
            "host": parts.hostname or "localhost",
            "port": parts.port or (465 if parts.scheme == "smtp+ssl" else 587),
            "username": urllib.parse.unquote(parts.username or ""),
            "password": urllib.parse.unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtp+ssl",
            "use_tls": parts.scheme == "smtp+tls",
            "timeout": 10,
        }
    return {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS"),
        "use_ssl": env_bool("EMAIL_USE_SSL"),
        "timeout": 10,
    }


# Mail goes through the outbox (outbox/services.py): the "default" mailer stores each message in the
# database, in the transaction of the change that caused it; `manage.py send_outbox` (every minute, from
# deploy/systemd/niimi-portal-outbox.timer) sends it through the "delivery" mailer, the real server.
if DEBUG and not (os.environ.get("EMAIL_URL") or os.environ.get("EMAIL_HOST")):
    _DELIVERY = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
else:
    _DELIVERY = {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": _smtp_options()}
MAILERS = {"default": {"BACKEND": "outbox.backends.OutboxBackend"}, "delivery": _DELIVERY}
OUTBOX_MAILER = "delivery"
# A refused or unreachable server: try again after 1, 5, 30, then every 120 minutes; after 5 tries (about
# 2.6 hours) the message is 送信できず and shows on the admin dashboard. An operating choice the city may
# change (OUTBOX_MAX_ATTEMPTS in the environment).
OUTBOX_RETRY_MINUTES = (1, 5, 30, 120)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5)
# A send that has not finished after this long died mid-way: 送信できず, never resent by itself.
OUTBOX_SENDING_TIMEOUT_MINUTES = 15
# Sent mail (addresses and text) is kept this long for questions, then deleted by send_outbox: an
# assumption the city must confirm against its retention rules.
OUTBOX_KEEP_SENT_DAYS = env_int("OUTBOX_KEEP_SENT_DAYS", 90)
# 保存期間 in years per kind of record, counted from 1 April after the fiscal year the record was completed
# (niimi_portal/retention.py, `manage.py apply_retention`). Assumptions the city must confirm against its
# 文書管理規則: 補助金 records 5 years after the 額の確定, meeting records and attachments 5 years, a withdrawn
# publication consent 5 years after its withdrawal, the record of a 期限's reminder mail 5 years after the 期限
# (要確認; never while the 期限 is still open, or send_reminders would send it again).
RETENTION_YEARS = {
    "grant_record": env_int("RETENTION_GRANT_RECORD_YEARS", 5),
    "meeting_record": env_int("RETENTION_MEETING_RECORD_YEARS", 5),
    "meeting_attachment": env_int("RETENTION_MEETING_ATTACHMENT_YEARS", 5),
    "withdrawn_consent": env_int("RETENTION_WITHDRAWN_CONSENT_YEARS", 5),
    "deadline_reminder": env_int("RETENTION_DEADLINE_REMINDER_YEARS", 5),
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "新見市 小規模多機能自治ポータル <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# 総合政策課 協働推進係: new proposals are mailed here (empty: no mail; the admin's queue still shows them).
POLICY_DIVISION_EMAIL = os.environ.get("POLICY_DIVISION_EMAIL", "")
# The portal's own address, for links in mail (e.g. https://jichi.city.niimi.example).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://localhost:8000").rstrip("/")
