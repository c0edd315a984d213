"""マイページ: the patron's own door (issue 16; 市川市 方針 別表1, 第3(6); 厚木市 要綱 第8条; JLA 2019).

- ``SignInFailure``: failed sign-ins, counted for the lockout like staff's, keyed by an HMAC of the card
  number or of the address — never either in clear.
- ``NoticePreference``: the channel the patron chose for notices (what each channel may say does not
  change: 方針 第3(7)(8)).
- ``HistoryKey`` / ``HistoryEntry``: the opt-in reading history. Each entry is the title and the
  return date sealed to the patron's X25519 public key (a sealed box), padded to one size; the private
  key is stored only wrapped by a key derived from the patron's password (Argon2id). In the clear an
  entry holds a random id and the patron — no item, no date, no time (see README "マイページ").
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from patrons.models import REGISTER_ENTRY_LIBRARY_USE, Patron
from privacy_admin.core.dataitems import DataItem, declare_not_personal, declare_personal_fields


class SignInFailure(models.Model):
    class Kind(models.TextChoices):
        CARD = "card", _("利用者番号")
        ADDRESS = "address", _("接続元")

    kind = models.CharField(_("種別"), max_length=8, choices=Kind.choices)
    # HMAC-SHA256 (SECRET_KEY) of the card number or the address: counts without knowing whose.
    digest = models.CharField(max_length=64)
    failed_at = models.DateTimeField(_("日時"))

    class Meta:
        verbose_name = _("マイページのログイン失敗")
        verbose_name_plural = _("マイページのログイン失敗")
        indexes = [models.Index(fields=["kind", "digest", "failed_at"], name="mypage_failure_key")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class NoticeChannel(models.TextChoices):
    EMAIL = "email", _("電子メール")
    PHONE = "phone", _("電話")
    POSTCARD = "postcard", _("はがき")


class NoticePreference(models.Model):
    patron = models.OneToOneField(Patron, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("通知の方法"), max_length=16, choices=NoticeChannel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("通知方法の希望")
        verbose_name_plural = _("通知方法の希望")

    def __str__(self) -> str:
        return f"通知方法の希望 #{self.pk}"


class HistoryKey(models.Model):
    """The patron opted in: the public key entries are sealed to, and the private key, wrapped."""

    patron = models.OneToOneField(Patron, on_delete=models.CASCADE, related_name="+")
    public_key = models.BinaryField(max_length=32)
    # XSalsa20-Poly1305 (nacl SecretBox) of the private key under Argon2id(password, salt).
    wrapped_private_key = models.BinaryField(max_length=128)
    salt = models.BinaryField(max_length=16)
    time_cost = models.PositiveIntegerField()
    memory_kib = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("読書記録の鍵")
        verbose_name_plural = _("読書記録の鍵")

    def __str__(self) -> str:
        return f"読書記録の鍵 #{self.pk}"


def random_entry_id() -> int:
    # A random id, not a sequence: the order of entries must not follow the order of returns.
    return secrets.randbits(62) + 1


class HistoryEntry(models.Model):
    id = models.BigIntegerField(primary_key=True, default=random_entry_id, editable=False)
    # No database constraint: checking one would lock the patron's row (KEY SHARE) in the return's
    # transaction, whose id is also on the returned item's row — a link readable in the system
    # columns (tests/loans/test_privacy_invariant.py). The ORM still deletes entries with the patron.
    patron = models.ForeignKey(Patron, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    # A sealed box of the padded plaintext: every entry has the same length (history.SEALED_SIZE).
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("読書記録")
        verbose_name_plural = _("読書記録")

    def __str__(self) -> str:
        return f"読書記録 #{self.pk}"


declare_personal_fields(
    "mypage.NoticePreference", register_entry=REGISTER_ENTRY_LIBRARY_USE, patron=DataItem.CARD_NUMBER
)
declare_personal_fields(
    "mypage.HistoryKey", register_entry=REGISTER_ENTRY_LIBRARY_USE, patron=DataItem.CARD_NUMBER
)
declare_personal_fields(
    "mypage.HistoryEntry", register_entry=REGISTER_ENTRY_LIBRARY_USE, patron=DataItem.CARD_NUMBER
)
declare_not_personal(
    "mypage.SignInFailure", reason="利用者番号・接続元の不可逆な変換値と日時のみ", fields=("digest",)
)
