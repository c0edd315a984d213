from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from privacy_admin.core.dataitems import declare_not_personal


class StaffProfile(models.Model):
    """Where a staff member works: the branch recorded on their access-log events."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    branch = models.ForeignKey(
        "patrons.Branch", verbose_name=_("所属館"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("職員プロフィール")
        verbose_name_plural = _("職員プロフィール")

    def __str__(self) -> str:
        return str(self.user)


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(_("識別子"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("発行日時"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最終使用日時"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("失効日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("APIトークン")
        verbose_name_plural = _("APIトークン")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> tuple[str, str]:
        prefix = secrets.token_hex(4)
        return prefix, f"{settings.API_TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


class CredentialGeneration(models.Model):
    """One row whose ``value`` changes (PostgreSQL triggers, migration 0003) whenever a bearer token's
    answer may change: a token revoked or deleted, an account deactivated or deleted, a role granted
    or taken away. Processes remember token lookups only under the value they were read with
    (``accounts.tokens``); no personal data."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField()

    class Meta:
        verbose_name = _("認証情報の世代")
        verbose_name_plural = _("認証情報の世代")

    def __str__(self) -> str:
        return str(self.value)


class PasswordState(models.Model):
    """When a password was last set, and the hashes of the last ones (no reuse of the last 5; 002)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_state"
    )
    changed_at = models.DateTimeField(_("パスワード変更日時"))
    must_change = models.BooleanField(_("次回サインイン時に変更が必要"), default=False)

    class Meta:
        verbose_name = _("パスワードの状態")
        verbose_name_plural = _("パスワードの状態")

    def __str__(self) -> str:
        return str(self.user)


class PasswordHistory(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)  # a Django password hash, never the password
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("パスワード履歴")
        verbose_name_plural = _("パスワード履歴")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


declare_not_personal(
    "accounts.PasswordHistory",
    reason="職員アカウントの認証情報（過去のパスワードのハッシュ。再利用の禁止に使う）。登録簿が対象とする利用者等の情報ではない",
    fields=("password",),
)
