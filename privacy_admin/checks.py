"""System checks that the product cannot work well without."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.utils.module_loading import import_string

_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
_KNOWN_JAPANESE_FONTS = ("ipaexm.ttf", "ipaexg.ttf", "ipam.ttf", "NotoSansCJK", "NotoSerifCJK")


def japanese_font_available() -> bool:
    """True when fontconfig (which WeasyPrint uses) knows a font covering Japanese."""
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            out = subprocess.run(  # noqa: S603 - fixed arguments, no user input
                [fc_list, ":lang=ja", "family"], capture_output=True, text=True, timeout=10, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out.strip():
            return True
    for base in _FONT_DIRS:
        if base.is_dir():
            for path in base.rglob("*"):
                if any(name in path.name for name in _KNOWN_JAPANESE_FONTS):
                    return True
    return False


@register()
def check_japanese_font(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    if japanese_font_available():
        return []
    return [
        Warning(
            "日本語フォントが見つかりません。PDF の文字が表示されません。",
            hint="Debian/Ubuntu: apt-get install fonts-ipaexfont (make run / make test install it when run as root).",
            id="privacy_admin.W001",
        )
    ]


# Backends that deliver nothing: console (stdout, which Celery's worker logs as celery.redirected),
# in-memory, file, dummy, and the development outbox. With DEBUG off, patrons' e-mails (names and
# titles) must go out by SMTP and never into a log or a file (architecture: the privacy invariant).
NON_DELIVERING_MAIL_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "privacy_admin.devmail.backend.OutboxEmailBackend",
)
_MAIL_HINT = (
    "EMAIL_HOST（SMTP サーバー）を設定すると SMTP で送信します。EMAIL_PORT, EMAIL_HOST_USER, "
    "EMAIL_HOST_PASSWORD (or EMAIL_HOST_PASSWORD_FILE), EMAIL_USE_TLS / EMAIL_USE_SSL, DEFAULT_FROM_EMAIL: "
    "see README「Mail」. Unset EMAIL_BACKEND, or set it to django.core.mail.backends.smtp.EmailBackend."
)


def mail_backend_is_non_delivering(path: str) -> bool:
    """True for the backends above and their subclasses (a path that does not import: by name only)."""
    if path in NON_DELIVERING_MAIL_BACKENDS:
        return True
    try:
        backend = import_string(path)
    except ImportError:
        return False
    return isinstance(backend, type) and any(
        issubclass(backend, import_string(known)) for known in NON_DELIVERING_MAIL_BACKENDS
    )


def _mail_message(level: type[Warning | Error], check_id: str, consequence: str) -> list[CheckMessage]:
    if settings.DEBUG or not mail_backend_is_non_delivering(settings.EMAIL_BACKEND):
        return []
    return [
        level(
            f"EMAIL_BACKEND（{settings.EMAIL_BACKEND}）はメールを配信しません。DEBUG がオフの環境では"
            f" SMTP で送信してください。{consequence}",
            hint=_MAIL_HINT,
            id=check_id,
        )
    ]


@register()
def check_mail_backend(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    """Warning in ``manage.py check``: mail with DEBUG off should go out by SMTP (not for `make run`'s demo,
    whose outbox is deliberate; ``check --deploy`` still refuses it)."""
    if settings.DEMO_MODE:
        return []
    return _mail_message(Warning, "privacy_admin.W002", "利用者への通知が届きません。")


@register(deploy=True)
def check_mail_backend_deploy(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    """Error in ``manage.py check --deploy``: console mail would put patrons' names and titles in the logs."""
    return _mail_message(
        Error,
        "privacy_admin.E001",
        "本番ではメール本文（利用者の氏名・資料名）がログやファイルに残るため、使えません。",
    )
