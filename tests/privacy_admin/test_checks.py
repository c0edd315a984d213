from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.checks import ERROR, WARNING, run_checks
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

from privacy_admin import checks

ROOT = Path(__file__).resolve().parents[2]


def test_warns_when_no_japanese_font() -> None:
    with mock.patch.object(checks, "japanese_font_available", return_value=False):
        messages = checks.check_japanese_font(None)
    assert [m.id for m in messages] == ["privacy_admin.W001"]


def test_silent_when_a_japanese_font_is_installed() -> None:
    with mock.patch.object(checks, "japanese_font_available", return_value=True):
        assert checks.check_japanese_font(None) == []


# --- mail: with DEBUG off, a backend that does not deliver is refused ----------------------------

NON_DELIVERING = [
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "privacy_admin.devmail.backend.OutboxEmailBackend",
]


class ConsoleSubclass(ConsoleEmailBackend):
    pass


@pytest.mark.parametrize("backend", [*NON_DELIVERING, f"{__name__}.ConsoleSubclass"])
def test_non_delivering_mail_is_a_warning_and_a_deploy_error_naming_the_setting(settings, backend) -> None:
    settings.DEBUG = False
    settings.EMAIL_BACKEND = backend
    (warning,) = checks.check_mail_backend(None)
    (error,) = checks.check_mail_backend_deploy(None)
    assert (warning.id, warning.level) == ("privacy_admin.W002", WARNING)
    assert (error.id, error.level) == ("privacy_admin.E001", ERROR)
    assert "EMAIL_BACKEND" in warning.msg and backend in warning.msg
    assert "EMAIL_BACKEND" in error.msg and "EMAIL_HOST" in (error.hint or "")


def test_the_deploy_error_is_registered_as_a_deployment_check(settings) -> None:
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    plain = {m.id for m in run_checks(include_deployment_checks=False)}
    deploy = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "privacy_admin.W002" in plain and "privacy_admin.E001" not in plain
    assert "privacy_admin.E001" in deploy


@pytest.mark.parametrize("backend", ["django.core.mail.backends.smtp.EmailBackend", "no.such.Backend"])
def test_smtp_passes(settings, backend) -> None:
    settings.DEBUG = False
    settings.EMAIL_BACKEND = backend
    assert checks.check_mail_backend(None) == [] and checks.check_mail_backend_deploy(None) == []


def test_debug_allows_the_outbox_and_the_console(settings) -> None:
    settings.DEBUG = True
    for backend in NON_DELIVERING:
        settings.EMAIL_BACKEND = backend
        assert checks.check_mail_backend(None) == [] and checks.check_mail_backend_deploy(None) == []


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DJANGO_", "PYTEST"))}
    clean.pop("PRIVACY_ADMIN_TESTING", None)
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
        env={**clean, **env},
    )


def test_manage_py_check_deploy_refuses_console_mail_in_production(tmp_path: Path) -> None:
    production = {"DJANGO_DEBUG": "0", "PRIVACY_ADMIN_VAR_DIR": str(tmp_path), "DJANGO_SECRET_KEY": "x" * 60}
    console = _manage(
        "check", "--deploy", "--fail-level", "ERROR",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend", **production,
    )  # fmt: skip
    assert console.returncode != 0
    assert "privacy_admin.E001" in console.stderr and "EMAIL_BACKEND" in console.stderr
    smtp = _manage("check", "--deploy", "--fail-level", "ERROR", EMAIL_HOST="smtp.example.jp", **production)
    assert smtp.returncode == 0, smtp.stderr
    assert "privacy_admin.E001" not in smtp.stderr + smtp.stdout
    # The embedded default (the outbox) is a warning only, as scripts/test.sh runs the check.
    plain = _manage("check", "--fail-level", "ERROR", PRIVACY_ADMIN_VAR_DIR=str(tmp_path))
    assert plain.returncode == 0, plain.stderr
    assert "privacy_admin.W002" in plain.stderr + plain.stdout
