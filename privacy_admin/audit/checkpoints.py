"""Signed checkpoints of the sealed head, kept outside the database.

``audit_checkpoint`` signs {database, seq, hash, event time, created at} of the current sealed head with
an Ed25519 key that lives apart from the database and from the HMAC key (AUDIT_CHECKPOINT_KEY /
AUDIT_CHECKPOINT_KEY_FILE; the embedded default generates ``var/audit_checkpoint_key`` on first use),
and writes ``checkpoint-<time>-<seq>.json`` to AUDIT_CHECKPOINT_DIR with the public key. Whoever holds
a copy — printed by a privacy officer, the hash on the public register page, a file exported off the
server — can later hold the library to it: ``audit_verify`` names any checkpoint the log contradicts.

The sealer also writes ``sealed-head.json`` there after every run (unsigned, rewritten each time): it
catches a tail cut newer than the last checkpoint by someone who holds only the database.

Key rotation: ``audit_checkpoint --next-key FILE`` writes a checkpoint signed by the current key that
names the next key's public key; switch the setting to the new key afterwards. Checkpoints signed by a
key that is the configured one, listed in AUDIT_CHECKPOINT_TRUSTED_KEYS, or vouched for by such a
rotation checkpoint are trusted.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

HEAD_FILE = "sealed-head.json"
PREFIX = "checkpoint-"
SIGNED_FIELDS = ("version", "database", "seq", "hash", "event_at", "created_at", "next_public_key")


def checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def public_key_text(key: Ed25519PublicKey) -> str:
    return _b64(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def parse_private_key(text: str | bytes) -> Ed25519PrivateKey:
    """A PEM private key, or the base64 of the raw 32-byte seed."""
    data = text.encode() if isinstance(text, str) else text
    if b"BEGIN" in data:
        key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured("AUDIT_CHECKPOINT_KEY must be an Ed25519 key")
        return key
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(data.strip()))


def signing_key(*, create: bool = True) -> Ed25519PrivateKey:
    configured = getattr(settings, "AUDIT_CHECKPOINT_KEY", "")
    if configured:
        return parse_private_key(configured)
    path = Path(settings.AUDIT_CHECKPOINT_DEFAULT_KEY_FILE)
    if path.exists():
        return parse_private_key(path.read_bytes())
    if not create or getattr(settings, "AUDIT_REQUIRE_KEYS", False):
        raise ImproperlyConfigured(
            "AUDIT_CHECKPOINT_KEY (or AUDIT_CHECKPOINT_KEY_FILE) must be set / 署名鍵が設定されていません"
        )
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key


def _signed_bytes(data: dict[str, Any]) -> bytes:
    body = {name: data.get(name) for name in SIGNED_FIELDS}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def database_name() -> str:
    return str(connection.settings_dict.get("NAME") or "")


def write_sealed_head(*, seq: int, hash_: str) -> None:
    data = {"database": database_name(), "seq": seq, "hash": hash_, "written_at": timezone.now().isoformat()}
    _atomic_write(checkpoint_dir() / HEAD_FILE, json.dumps(data, ensure_ascii=False))


@dataclass
class Checkpoint:
    name: str
    seq: int
    hash: str
    event_at: dt.datetime | None
    created_at: dt.datetime
    public_key: str
    next_public_key: str | None
    data: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def day(self) -> dt.date:
        return timezone.localtime(self.created_at).date()


class CheckpointError(ValueError):
    """A checkpoint file that cannot be read or whose signature does not verify."""


def sign_checkpoint(
    *,
    seq: int,
    hash_: str,
    event_at: dt.datetime | None,
    next_public_key: str | None = None,
    key: Ed25519PrivateKey | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    key = key or signing_key()
    data: dict[str, Any] = {
        "version": 1,
        "database": database_name(),
        "seq": seq,
        "hash": hash_,
        "event_at": event_at.astimezone(dt.UTC).isoformat() if event_at else None,
        "created_at": (now or timezone.now()).astimezone(dt.UTC).isoformat(),
        "next_public_key": next_public_key,
    }
    data["public_key"] = public_key_text(key.public_key())
    data["signature"] = _b64(key.sign(_signed_bytes(data)))
    return data


def write_checkpoint(data: dict[str, Any]) -> Path:
    stamp = dt.datetime.fromisoformat(data["created_at"]).strftime("%Y%m%dT%H%M%S%fZ")
    path = checkpoint_dir() / f"{PREFIX}{stamp}-{data['seq']}.json"
    _atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1))
    return path


def parse_checkpoint(name: str, text: str) -> Checkpoint:
    try:
        data = json.loads(text)
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(data["public_key"]))
        public.verify(base64.b64decode(data["signature"]), _signed_bytes(data))
        event_at = dt.datetime.fromisoformat(data["event_at"]) if data.get("event_at") else None
        return Checkpoint(
            name=name,
            seq=int(data["seq"]),
            hash=str(data["hash"]),
            event_at=event_at,
            created_at=dt.datetime.fromisoformat(data["created_at"]),
            public_key=str(data["public_key"]),
            next_public_key=data.get("next_public_key"),
            data=data,
        )
    except InvalidSignature as exc:
        raise CheckpointError(
            f"checkpoint {name}: the signature does not verify / 署名が一致しません"
        ) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointError(f"checkpoint {name}: unreadable ({exc}) / 読み取れません") from exc


def load_checkpoint_file(path: Path) -> Checkpoint:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CheckpointError(f"checkpoint {path}: {exc.strerror}") from exc
    return parse_checkpoint(str(path), text)


def stored_checkpoints() -> list[Checkpoint]:
    """Every checkpoint in AUDIT_CHECKPOINT_DIR, oldest first (CheckpointError on a bad one)."""
    directory = checkpoint_dir()
    if not directory.is_dir():
        return []
    found = [load_checkpoint_file(path) for path in sorted(directory.glob(f"{PREFIX}*.json"))]
    return sorted(found, key=lambda cp: (cp.created_at, cp.seq))


def read_sealed_head() -> tuple[int, str] | None:
    path = checkpoint_dir() / HEAD_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("database") not in (None, database_name()):
        return None
    return int(data["seq"]), str(data["hash"])


def trusted_keys(checkpoints: list[Checkpoint]) -> set[str]:
    trusted: set[str] = set()
    # With no key configured (production never generates one) only listed and linked keys count.
    with contextlib.suppress(ImproperlyConfigured):
        create = not getattr(settings, "AUDIT_REQUIRE_KEYS", False)
        trusted.add(public_key_text(signing_key(create=create).public_key()))
    trusted |= set(getattr(settings, "AUDIT_CHECKPOINT_TRUSTED_KEYS", []))
    changed = True
    while changed:  # follow rotation checkpoints both ways until nothing new is vouched for
        changed = False
        for cp in checkpoints:
            if cp.next_public_key and (cp.public_key in trusted) != (cp.next_public_key in trusted):
                trusted |= {cp.public_key, cp.next_public_key}
                changed = True
    return trusted


def latest_daily(checkpoints: list[Checkpoint] | None = None) -> Checkpoint | None:
    """The newest checkpoint (the one the public page shows and officers print)."""
    try:
        items = stored_checkpoints() if checkpoints is None else checkpoints
    except CheckpointError:
        return None
    own = [cp for cp in items if cp.data.get("database") in (None, database_name())]
    return own[-1] if own else None


def audit_checkpoint_now(*, next_public_key: str | None = None) -> Path | None:
    """Sign the current sealed head and write it to AUDIT_CHECKPOINT_DIR; None when nothing is sealed."""
    from .models import AuditEvent, AuditSeal

    head = AuditSeal.objects.order_by("-seq").values_list("seq", "hash").first()
    if head is None:
        return None
    seq, hash_ = head
    event_at = AuditEvent.objects.filter(seq=seq).values_list("occurred_at", flat=True).first()
    return write_checkpoint(
        sign_checkpoint(seq=seq, hash_=hash_, event_at=event_at, next_public_key=next_public_key)
    )
