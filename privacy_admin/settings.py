"""Settings: one module, every knob from the environment.

Embedded defaults run the product with no servers (SQLite under var/, kombu's filesystem broker,
a development outbox for mail under var/outbox). Production sets DATABASE_URL (PostgreSQL via
psycopg 3), REDIS_URL, CELERY_BROKER_URL and EMAIL_HOST (SMTP). A secret may also come from a file
named by <NAME>_FILE.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("PRIVACY_ADMIN_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()


def _secret(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE."""
    file_name = env.str(f"{name}_FILE", default="")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {exc.strerror}") from exc
    return env.str(name, default=default)


DEBUG = env.bool("DJANGO_DEBUG", default=False)
# pytest-django loads settings before any conftest runs, so the test run is recognised here.
TESTING = env.bool("PRIVACY_ADMIN_TESTING", default="pytest" in sys.modules)
# `make run` (scripts/run.sh): the demo on this machine, DEBUG off, mail kept in the outbox on purpose.
DEMO_MODE = env.bool("PRIVACY_ADMIN_DEMO", default=False)

SECRET_KEY = _secret("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not TESTING and env.bool("DJANGO_REQUIRE_SECRET_KEY", default=False):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set")
    # The embedded default keeps one generated key under var/ so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    try:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
            key_file.chmod(0o600)
        SECRET_KEY = key_file.read_text(encoding="utf-8").strip()
    except OSError:
        SECRET_KEY = secrets.token_urlsafe(50)

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "privacy_admin.apps.PrivacyAdminSiteConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "django_htmx",
    "simple_history",
    "axes",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "privacy_admin.apps.PrivacyAdminConfig",
    "privacy_admin.accounts",
    "privacy_admin.audit",
    "privacy_admin.registry",  # migrations only: its tables moved to register and incidents
    "privacy_admin.dispatch",
    "patrons",
    "loans",
    "outsourcing",
    "disclosure_requests",
    "register",
    "incidents",
    "reports",
    "backups",
    "mypage",  # the patron's own pages and API (issue 16)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "privacy_admin.core.csp.CSPMiddleware",  # django-csp, PDFs left alone
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "privacy_admin.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL or other invisible character in a search or filter: 400 with a message, never a 500.
    "privacy_admin.core.query_text.RefuseInvisibleQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "privacy_admin.accounts.middleware.IdleTimeoutMiddleware",
    # An operator's session ends once their contract is not in force (outsourcing issue, 002).
    "outsourcing.auth.OperatorGateMiddleware",
    # TOTP token, forced password change, required TOTP enrolment, before anything else.
    "privacy_admin.accounts.security.AccountSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "privacy_admin.accounts.middleware.NoStoreMiddleware",
    "outsourcing.middleware.OperatorSessionMiddleware",
    # AxesMiddleware must be last (django-axes docs).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "privacy_admin.urls"
WSGI_APPLICATION = "privacy_admin.wsgi.application"

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
                "privacy_admin.accounts.context_processors.roles",
                "privacy_admin.devmail.context_processors.outbox",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so the web process and the Celery
    # worker never deadlock on the audit chain head (Django 5.1+ option).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_db.sqlite3")}
elif DATABASES["default"]["ENGINE"] in (
    "django.db.backends.postgresql",
    "django.db.backends.postgresql_psycopg2",
):
    DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ---------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # The cache is an optimisation (rate limits fail closed without it): a dead Redis must answer fast.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

_celery_dir = VAR_DIR / "celery"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (_celery_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "store_processed": False,
        # Fanout exchanges (worker control) would otherwise land in ./control of the working directory.
        "control_folder": str(_celery_dir / "control"),
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A dead broker fails a publish fast; privacy_admin.dispatch remembers it for the sweeper.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
# Results would be a second copy of whatever a task returns: tasks return nothing and results are off.
CELERY_TASK_IGNORE_RESULT = True
# One quick retry covers a pooled connection the broker dropped (a restart); a dead broker fails a
# publish in about a second, and privacy_admin.dispatch leaves the work queued for its sweeper.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Tokyo"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Auth -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Master data in the admin is the administrator role's (privacy_admin.admin_site).
    "privacy_admin.admin_site.AdministratorRoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Whitespace-only, repeated and keyboard-walk passwords are refused (zxcvbn; issue 14 §4).
    {"NAME": "privacy_admin.accounts.passwords.StrengthValidator"},
]
# zxcvbn score (0-4) a staff password must reach; patrons' (6 characters or more, 要綱 第8条) theirs.
PASSWORD_MIN_STRENGTH = env.int("PASSWORD_MIN_STRENGTH", default=3)
PATRON_PASSWORD_MIN_STRENGTH = env.int("PATRON_PASSWORD_MIN_STRENGTH", default=2)
# A patron's password reset link (要綱 第8条3) is valid this long, once; links in mail start with this.
PATRON_PASSWORD_RESET_MINUTES = env.int("PATRON_PASSWORD_RESET_MINUTES", default=30)
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://localhost:8000")
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle sessions end (000 第3 / domain §10: a counter terminal must not stay signed in).
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=15) * 60
SESSION_COOKIE_AGE = env.int("SESSION_MAX_AGE_HOURS", default=10) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# django-axes, with two limits (privacy_admin.accounts.lockout; issue 14 §4): this many failures for
# one account, from any address, lock the account; this many from one address, over any accounts, lock
# the address. Both for AXES_COOLOFF_HOURS; administrators lift them at /accounts/lockouts/.
ACCOUNT_LOCKOUT_FAILURES = env.int("ACCOUNT_LOCKOUT_FAILURES", default=10)
ADDRESS_LOCKOUT_FAILURES = env.int("ADDRESS_LOCKOUT_FAILURES", default=20)
if ACCOUNT_LOCKOUT_FAILURES < 1 or ADDRESS_LOCKOUT_FAILURES < 1:
    raise ImproperlyConfigured("ACCOUNT_LOCKOUT_FAILURES and ADDRESS_LOCKOUT_FAILURES must be 1 or more")
AXES_FAILURE_LIMIT = ACCOUNT_LOCKOUT_FAILURES  # the handler raises an address lockout to this
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True  # the signed-in account's own failures only (LockoutHandler)
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_CALLABLE = "privacy_admin.accounts.lockout.attempted_username"  # cut to 150 characters
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = True  # administrators can see and clear lockouts
AXES_HANDLER = "privacy_admin.accounts.lockout.LockoutHandler"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# --- Account security: password expiry and history, two-factor (outsourcing issue; 002: 個人ID
# とパスワードを付与、パスワードには有効期間を設定し、定期的な変更を操作員に求めている) ---------------------
# A password expires after this many days (0 = never); the next request goes to the change page.
PASSWORD_EXPIRY_DAYS = env.int("PASSWORD_EXPIRY_DAYS", default=90)
if PASSWORD_EXPIRY_DAYS < 0:
    raise ImproperlyConfigured("PASSWORD_EXPIRY_DAYS must be 0 (never) or more")
# No reuse of the current password or the last 5; the validator also records every new hash.
AUTH_PASSWORD_VALIDATORS.append(
    {"NAME": "privacy_admin.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"remember": 5}}
)
# TOTP (django-otp) is open to every account; when true, privacy officers and administrators must enrol.
OTP_REQUIRED_FOR_STAFF = env.bool("OTP_REQUIRED_FOR_STAFF", default=False)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="図書館利用者プライバシー管理")

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
# 和暦 (令和8年11月21日) by default; "seireki" prints 2026年11月21日.
DATE_ERA_STYLE = env.str("DATE_ERA_STYLE", default="wareki")
if DATE_ERA_STYLE not in ("wareki", "seireki"):
    raise ImproperlyConfigured("DATE_ERA_STYLE must be 'wareki' or 'seireki'")

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise scans it at start-up
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Messages can carry a new card number: keep them server-side, never in a browser cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Mail -----------------------------------------------------------------------------------
# Production sends by SMTP (EMAIL_HOST set). Without it, mail goes to the development outbox under
# var/outbox, which administrators read at /system/outbox/. Never the console backend: the worker's
# stdout is a log (celery.redirected), and notices name patrons and titles. checks.py refuses a
# non-delivering backend once DEBUG is off (privacy_admin.W002, and E001 under --deploy).
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = _secret("EMAIL_HOST_PASSWORD", default="") or ""
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)  # implicit TLS, usually port 465
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=not EMAIL_USE_SSL)  # STARTTLS, usually port 587
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive: set one of them")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
EMAIL_OUTBOX_DIR = VAR_DIR / "outbox"
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "privacy_admin.devmail.backend.OutboxEmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="library-privacy@example.jp")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Transport and browser security (README "Deploying securely"; issue 14 §3) -----------------
# On by default once DEBUG is off outside the tests; `make run` (DEBUG on) and the test client speak
# plain http. Each one can be set from the environment variable of the same name.
_SECURE_BY_DEFAULT = not DEBUG and not TESTING
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_SECURE_BY_DEFAULT)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if _SECURE_BY_DEFAULT else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=_SECURE_BY_DEFAULT)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=_SECURE_BY_DEFAULT)
# Only behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto itself (overwriting what
# the client sent); otherwise a client could claim https. Off unless said.
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Behind that proxy every request comes from the proxy's address: the sign-in lockout by address
    # (ADDRESS_LOCKOUT_FAILURES) must read the client's, which the proxy appends to X-Forwarded-For.
    # PROXY_COUNT proxies of ours stand in front (ipware takes the address that many hops from the right).
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=1)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# django-csp 4: scripts and styles from this site's static files only — no inline <script>, <style>,
# style= or on*= anywhere a browser is served (PDF-only templates excepted: WeasyPrint reads them).
# Pages that load htmx turn off its inline indicator styles (static/css/htmx.css has them).
# PDF answers go without it: Chrome's inline viewer would show them blank (privacy_admin.core.csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# --- Domain settings (domain.md §4; source beside each) -----------------------------------------
LIBRARY_NAME = env.str("LIBRARY_NAME", default="あさひ市立図書館")
# Letters (要綱 第23–42条): the office that handles requests (担当), the sender, and the 教示 of decisions
# (行政不服審査法 第82条: 審査請求先; 行政事件訴訟法 第46条: the defendant of a 取消訴訟 and who represents it).
LIBRARY_OFFICE = env.str("LIBRARY_OFFICE", default="あさひ市立図書館 管理係（個人情報保護担当）")
LIBRARY_HEAD = env.str("LIBRARY_HEAD", default=f"{LIBRARY_NAME}長")
LIBRARY_MUNICIPALITY = env.str("LIBRARY_MUNICIPALITY", default="あさひ市")
LIBRARY_APPEAL_AUTHORITY = env.str("LIBRARY_APPEAL_AUTHORITY", default="あさひ市教育委員会")
# 要綱 第49条: what the public page says about where and how to apply (blank: the line is left out).
LIBRARY_OFFICE_ADDRESS = env.str("LIBRARY_OFFICE_ADDRESS", default="")
LIBRARY_OFFICE_PHONE = env.str("LIBRARY_OFFICE_PHONE", default="")
LIBRARY_OFFICE_HOURS = env.str("LIBRARY_OFFICE_HOURS", default="開館日の午前9時から午後5時まで")
LIBRARY_SUPERVISOR_CONTACT = env.str("LIBRARY_SUPERVISOR_CONTACT", default="")
# The 文書番号 of a notice letter, numbered per 年度 and separate from the request's 受付番号 (R8-開示-0008):
# {n} the sequence, {year} the 和暦 year of the 年度 (8), {fiscal_year} its 西暦 (2026). 「図書第{n}号」.
LETTER_NUMBER_FORMAT = env.str("LETTER_NUMBER_FORMAT", default="図書第{n}号")
# 要綱 第28条: the fee is the actual cost of copies (yen per A3-or-smaller sheet).
PRIVACY_COPY_FEE_MONOCHROME_YEN = env.int("PRIVACY_COPY_FEE_MONOCHROME_YEN", default=10)
PRIVACY_COPY_FEE_COLOR_YEN = env.int("PRIVACY_COPY_FEE_COLOR_YEN", default=50)
# 要綱 第48条「遅滞なく」: the written report and prevention plan are due this many days after discovery.
INCIDENT_WRITTEN_REPORT_DAYS = env.int("INCIDENT_WRITTEN_REPORT_DAYS", default=14)
# The whole register renders in parts in this many processes (0: the cores, at most 4; 1: never fork).
REGISTER_PDF_WORKERS = env.int("REGISTER_PDF_WORKERS", default=0)
# Access review: events outside these local opening hours [open, close) are flagged (002: 平日は午後8時まで).
ACCESS_REVIEW_OPENING_HOURS = env.str("ACCESS_REVIEW_OPENING_HOURS", default="9-20")
try:
    _open, _close = (int(h) for h in ACCESS_REVIEW_OPENING_HOURS.split("-"))
    if not 0 <= _open < _close <= 24:
        raise ValueError
except ValueError:
    raise ImproperlyConfigured("ACCESS_REVIEW_OPENING_HOURS must look like 9-20 (open-close hours)") from None
# 要綱 第4条1: residence in the city or a listed neighbouring municipality.
PATRON_ELIGIBLE_MUNICIPALITIES = env.list(
    "PATRON_ELIGIBLE_MUNICIPALITIES",
    default=[
        "あさひ市",
        "厚木市",
        "綾瀬市",
        "伊勢原市",
        "海老名市",
        "相模原市",
        "座間市",
        "平塚市",
        "秦野市",
        "大和市",
        "愛川町",
        "清川村",
    ],
)
# 要綱 第4条2-3: work or school in the city.
PATRON_WORK_SCHOOL_MUNICIPALITIES = env.list("PATRON_WORK_SCHOOL_MUNICIPALITIES", default=["あさひ市"])
PATRON_VALIDITY_YEARS = env.int("PATRON_VALIDITY_YEARS", default=3)
PATRON_RENEWAL_DAYS_BEFORE = env.int("PATRON_RENEWAL_DAYS_BEFORE", default=60)  # 要綱 第9条
PATRON_DELETE_AFTER_EXPIRY_DAYS = env.int("PATRON_DELETE_AFTER_EXPIRY_DAYS", default=365)  # 要綱 第9条2
PATRON_PAPER_FORM_KEEP_MONTHS = env.int("PATRON_PAPER_FORM_KEEP_MONTHS", default=1)  # 要綱 第2条2
PATRON_CARD_PREFIX = env.str("PATRON_CARD_PREFIX", default="21")
PATRON_CARD_LENGTH = env.int("PATRON_CARD_LENGTH", default=10)
PATRON_CSV_MAX_ROWS = env.int("PATRON_CSV_MAX_ROWS", default=2000)
# Circulation (domain.md §5). Loan and reservation records are erased when they end (方針 第3(2)(3)).
LOANS_MAX_PER_PATRON = env.int("LOANS_MAX_PER_PATRON", default=10)
LOANS_PERIOD_DAYS = env.int("LOANS_PERIOD_DAYS", default=14)
LOANS_HOLD_DAYS = env.int("LOANS_HOLD_DAYS", default=7)  # a ready reservation waits this long
LOANS_MAX_RESERVATIONS = env.int("LOANS_MAX_RESERVATIONS", default=10)
LOANS_ITEM_CSV_MAX_ROWS = env.int("LOANS_ITEM_CSV_MAX_ROWS", default=5000)
# 督促 (方針 第3(7)): a loan overdue this many days gets a reminder, repeated at most every N days.
LOANS_OVERDUE_GRACE_DAYS = env.int("LOANS_OVERDUE_GRACE_DAYS", default=1)
LOANS_OVERDUE_REPEAT_DAYS = env.int("LOANS_OVERDUE_REPEAT_DAYS", default=7)
# Printed on postcards and in e-mails as the place to ask (e.g. "中央図書館 046-000-0000").
LOANS_NOTICE_CONTACT = env.str("LOANS_NOTICE_CONTACT", default="")

# --- マイページ: the patron's own pages (issue 16; 市川市 方針 別表1, 第3(6); 厚木市 要綱 第8条) ------------
# A patron session ends after this many idle minutes (separate from staff sessions).
MYPAGE_IDLE_TIMEOUT_MINUTES = env.int("MYPAGE_IDLE_TIMEOUT_MINUTES", default=15)
# Renewal from the web: this many times per loan, never once overdue nor while a reservation waits.
LOANS_MAX_RENEWALS = env.int("LOANS_MAX_RENEWALS", default=1)
# The reading history (JLA 2019; 墨田区, 目黒区): off unless the library offers it (市川市 方針 keeps it off).
READING_HISTORY_AVAILABLE = env.bool("READING_HISTORY_AVAILABLE", default=False)
# Argon2id cost for the key that wraps the patron's history key (RFC 9106 second recommendation).
READING_HISTORY_ARGON2_TIME_COST = env.int("READING_HISTORY_ARGON2_TIME_COST", default=3)
READING_HISTORY_ARGON2_MEMORY_KIB = env.int("READING_HISTORY_ARGON2_MEMORY_KIB", default=65536)
# The server key that encrypts the unwrapping key in the patron's own cookie (default: from SECRET_KEY).
READING_HISTORY_COOKIE_KEY = _secret("READING_HISTORY_COOKIE_KEY")
# The safety net runs every 15 minutes; the dashboard warns when its last run is older than this.
LOANS_SAFETY_NET_MAX_GAP_MINUTES = env.int("LOANS_SAFETY_NET_MAX_GAP_MINUTES", default=90)

# Backups (市川市 方針 第5(2)): `manage.py backup` encrypts each dump to these age public keys (comma- or
# line-separated; the private key stays off the server) and records the medium, kept this many days.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
BACKUP_AGE_RECIPIENTS = _secret("BACKUP_AGE_RECIPIENTS", default="") or ""
BACKUP_PG_DUMP = env.str("BACKUP_PG_DUMP", default="pg_dump")
# Also how long erasure-ledger entries are kept: a backup older than this is never restored.
BACKUP_RETENTION_DAYS = env.int("BACKUP_RETENTION_DAYS", default=35)
# The erasure ledger (loans.erasure_ledger): ids of erased rows, outside the main database so that a
# restored backup can be replayed (`manage.py erasure_replay`). A PostgreSQL database of its own
# (ERASURE_LEDGER_URL), or else an SQLite file that needs no configuration.
ERASURE_LEDGER_URL = _secret("ERASURE_LEDGER_URL", default="") or ""
ERASURE_LEDGER_PATH = Path(env.str("ERASURE_LEDGER_PATH", default=str(VAR_DIR / "erasure-ledger.sqlite3")))

AUDIT_RETENTION_YEARS = env.int("AUDIT_RETENTION_YEARS", default=5)
# Production (DJANGO_REQUIRE_SECRET_KEY=1): no checkpoint key is generated (audit_checkpoint fails instead).
AUDIT_REQUIRE_KEYS = not DEBUG and not TESTING and env.bool("DJANGO_REQUIRE_SECRET_KEY", default=False)
# The access log is sealed with an HMAC chain; the key lives apart from the database (README "Keys").
AUDIT_CHAIN_KEY = _secret("AUDIT_CHAIN_KEY") or ""
# Not set: a generated key under var/, like the secret key (no longer derived from it); in production
# `check --deploy` warns (audit.W001) because that file lies beside the database.
AUDIT_CHAIN_KEY_GENERATED = not AUDIT_CHAIN_KEY
if not AUDIT_CHAIN_KEY:
    _chain_key_file = VAR_DIR / "audit_chain_key"
    try:
        if not _chain_key_file.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            _chain_key_file.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            _chain_key_file.chmod(0o600)
        AUDIT_CHAIN_KEY = _chain_key_file.read_text(encoding="utf-8").strip()
    except OSError:
        AUDIT_CHAIN_KEY = secrets.token_urlsafe(48)
# Ed25519 key signing the checkpoints (PEM or base64 seed); the embedded default generates one on first use.
AUDIT_CHECKPOINT_KEY = _secret("AUDIT_CHECKPOINT_KEY") or ""
AUDIT_CHECKPOINT_DEFAULT_KEY_FILE = VAR_DIR / "audit_checkpoint_key"
AUDIT_CHECKPOINT_DIR = env.str("AUDIT_CHECKPOINT_DIR", default=str(VAR_DIR / "audit-checkpoints"))
# Public keys (base64) of earlier checkpoint keys still trusted after a rotation.
AUDIT_CHECKPOINT_TRUSTED_KEYS = env.list("AUDIT_CHECKPOINT_TRUSTED_KEYS", default=[])
# audit_verify fails when an event stays unsealed longer than this (the sealer runs every second).
AUDIT_MAX_UNSEALED_SECONDS = env.int("AUDIT_MAX_UNSEALED_SECONDS", default=60)
AUDIT_SEAL_INTERVAL_SECONDS = env.float("AUDIT_SEAL_INTERVAL_SECONDS", default=1.0)
AUDIT_CHECKPOINT_INTERVAL_MINUTES = env.int("AUDIT_CHECKPOINT_INTERVAL_MINUTES", default=60)
# Behind a reverse proxy, trust X-Forwarded-For for the client address.
USE_X_FORWARDED_FOR = env.bool("USE_X_FORWARDED_FOR", default=False)
API_TOKEN_PREFIX = "pa_"  # noqa: S105 - a visible marker, not a secret

# --- Logging --------------------------------------------------------------------------------
# Log lines carry counts and ids only; the filter masks card numbers that might appear in a path.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "privacy_admin.logging.RequestIdFilter"},
        "redact": {"()": "privacy_admin.logging.RedactPersonalDataFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "redact"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint and fontTools narrate every PDF step at INFO; the "HarfBuzz-Subset" notice too.
        "weasyprint": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Even with LOG_LEVEL=DEBUG: a failed template lookup is logged at DEBUG with the repr of the
        # whole context (a phone sheet's names and numbers), and with DEBUG on every SQL statement is
        # logged with its parameters (names, titles). Neither may reach a log.
        "django.template": {"level": "INFO"},
        "django.db.backends": {"level": "INFO"},
    },
}
