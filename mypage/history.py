"""The reading history only the patron can read (issue 16; JLA 2019 利用履歴; 墨田区, 目黒区).

Keys. Opting in makes an X25519 key pair. The public key is stored as is: returns are sealed to it
(a libsodium sealed box: only the private key opens it, and the sealer keeps nothing that could). The
private key is stored only inside a ``SecretBox`` under a key-encryption key (KEK) derived from the
patron's password with Argon2id and a random salt. The server never keeps the KEK: at sign-in (the one
moment it sees the password) it derives the KEK and gives it to the patron's browser in a cookie,
itself encrypted under a server key and bound to the patron and the session. Each request that reads
the history decrypts the cookie, unwraps the private key in memory and opens the entries. The cookie
alone is useless without the server key; the server's database, backups and logs alone are useless
without the password. Nothing of it is put in the session table, the cache or a log.

Entries. The plaintext (title and return date) is padded to ``PLAINTEXT_SIZE`` so that every sealed
entry has the same length (``SEALED_SIZE``) whatever the title. In the clear an entry has a random id
and the patron; no item id, no date, no time.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import struct

from argon2.low_level import Type, hash_secret_raw
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox
from nacl.utils import random as random_bytes

PLAINTEXT_SIZE = 1024  # 200 characters of title at 4 bytes each, the date and the JSON fit
SEALED_SIZE = PLAINTEXT_SIZE + 48  # a sealed box adds the ephemeral public key (32) and the MAC (16)
KEK_SIZE = SecretBox.KEY_SIZE
SALT_SIZE = 16
COOKIE_NAME = "mypage_hk"
_COOKIE_CONTEXT = b"mypage reading-history cookie v1"


def available() -> bool:
    return bool(getattr(settings, "READING_HISTORY_AVAILABLE", False))


def derive_kek(password: str, salt: bytes, *, time_cost: int, memory_kib: int) -> bytes:
    """Argon2id (RFC 9106) of the password: the key that wraps the patron's private key."""
    return hash_secret_raw(
        secret=password.encode(),
        salt=salt,
        time_cost=time_cost,
        memory_cost=memory_kib,
        parallelism=1,
        hash_len=KEK_SIZE,
        type=Type.ID,
    )


def new_key_material(password: str) -> tuple[bytes, bytes, bytes, bytes, int, int]:
    """(public key, wrapped private key, salt, KEK, time cost, memory) for a patron opting in."""
    time_cost = int(settings.READING_HISTORY_ARGON2_TIME_COST)
    memory_kib = int(settings.READING_HISTORY_ARGON2_MEMORY_KIB)
    private = PrivateKey.generate()
    salt = random_bytes(SALT_SIZE)
    kek = derive_kek(password, salt, time_cost=time_cost, memory_kib=memory_kib)
    wrapped = bytes(SecretBox(kek).encrypt(bytes(private)))
    return bytes(private.public_key), wrapped, salt, kek, time_cost, memory_kib


def unwrap(wrapped: bytes, kek: bytes) -> PrivateKey | None:
    try:
        return PrivateKey(SecretBox(kek).decrypt(bytes(wrapped)))
    except (CryptoError, ValueError, TypeError):
        return None


def rewrap(private: PrivateKey, password: str) -> tuple[bytes, bytes, bytes, int, int]:
    """(wrapped private key, salt, KEK, time cost, memory) under a new password."""
    time_cost = int(settings.READING_HISTORY_ARGON2_TIME_COST)
    memory_kib = int(settings.READING_HISTORY_ARGON2_MEMORY_KIB)
    salt = random_bytes(SALT_SIZE)
    kek = derive_kek(password, salt, time_cost=time_cost, memory_kib=memory_kib)
    return bytes(SecretBox(kek).encrypt(bytes(private))), salt, kek, time_cost, memory_kib


def _pad(payload: bytes) -> bytes:
    if len(payload) > PLAINTEXT_SIZE - 2:
        raise ValueError("entry too long")
    return struct.pack(">H", len(payload)) + payload + bytes(PLAINTEXT_SIZE - 2 - len(payload))


def seal_entry(public_key: bytes, *, title: str, returned_on: dt.date) -> bytes:
    """The entry sealed to ``public_key``: always ``SEALED_SIZE`` bytes."""
    title = title[:200]
    while True:
        payload = json.dumps({"t": title, "d": returned_on.isoformat()}, ensure_ascii=False).encode()
        if len(payload) <= PLAINTEXT_SIZE - 2:
            break
        title = title[:-1]
    sealed = bytes(SealedBox(PublicKey(bytes(public_key))).encrypt(_pad(payload)))
    assert len(sealed) == SEALED_SIZE
    return sealed


def open_entry(private: PrivateKey, sealed: bytes) -> tuple[str, dt.date] | None:
    try:
        padded = SealedBox(private).decrypt(bytes(sealed))
        (length,) = struct.unpack(">H", padded[:2])
        data = json.loads(padded[2 : 2 + length].decode())
        return str(data["t"]), dt.date.fromisoformat(data["d"])
    except (CryptoError, ValueError, KeyError, TypeError, struct.error):
        return None


# --- the patron's cookie ---------------------------------------------------------------------------


def _server_key() -> bytes:
    secret = str(getattr(settings, "READING_HISTORY_COOKIE_KEY", "") or settings.SECRET_KEY)
    return hashlib.blake2b(secret.encode(), key=_COOKIE_CONTEXT[:64], digest_size=KEK_SIZE).digest()


def _binding(patron_id: int, session_key: str) -> bytes:
    return hashlib.blake2b(f"{patron_id}|{session_key}".encode(), digest_size=16).digest()


def set_kek_cookie(response: HttpResponse, *, patron_id: int, session_key: str, kek: bytes) -> None:
    token = SecretBox(_server_key()).encrypt(_binding(patron_id, session_key) + kek)
    response.set_cookie(
        COOKIE_NAME,
        base64.urlsafe_b64encode(bytes(token)).decode(),
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Strict",
    )


def clear_kek_cookie(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE_NAME, samesite="Strict")


def kek_from_request(request: HttpRequest, *, patron_id: int) -> bytes | None:
    """The KEK from the patron's cookie, when it was made for this patron and this session."""
    raw = request.COOKIES.get(COOKIE_NAME, "")
    session_key = getattr(request.session, "session_key", None) or ""
    if not raw or not session_key or len(raw) > 200:
        return None
    try:
        plain = SecretBox(_server_key()).decrypt(base64.urlsafe_b64decode(raw.encode()))
    except (CryptoError, ValueError, binascii.Error):
        return None
    if len(plain) != 16 + KEK_SIZE or plain[:16] != _binding(patron_id, session_key):
        return None
    return bytes(plain[16:])
