"""Bearer tokens checked without a database lookup per request, and refused at once when revoked.

A counter terminal presents the same token with every return. Looking it up each time (the token, its
user, the user's groups) cost as much as the return's own SQL. Each process therefore remembers, by
the token's SHA-256 (never the token itself), what the lookup answered: the token's id, the user's
columns and roles. An answer is used only while the **credential generation** is the one it was read
under.

The generation is one row (``CredentialGeneration``) that PostgreSQL triggers (migration
``0003_credential_generation``) move to a fresh value from a sequence, in the same transaction, on
every change that can alter the answer, however it is made (a service, the admin, a queryset
``update()``, raw SQL): a token revoked, deleted or re-keyed; an account deactivated, deleted, renamed
or given or denied superuser rights; a group membership added or removed; a group renamed or deleted.
Every request reads the row (one primary-key lookup); a changed value drops the remembered answers,
so a revoked token or a closed account is refused by the first request after the change commits.

The generation is read before the lookup it guards: a change committed between the two leaves the new
answer under the old generation, which the next request finds stale. On other databases (no triggers)
nothing is remembered.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from privacy_admin.core.roles import roles_of

from .models import ApiToken, CredentialGeneration

# last_used_at is written at most this often per token (and per process).
LAST_USED_EVERY = dt.timedelta(seconds=60)
# A bound on what a process remembers; past it, everything is forgotten (tokens are few).
MAX_ENTRIES = 1024


@dataclass
class _Entry:
    generation: int
    token_id: int
    user_fields: tuple[str, ...]
    user_values: tuple[Any, ...]
    roles: frozenset[str]
    last_used_at: dt.datetime | None


_entries: dict[str, _Entry] = {}
_lock = threading.Lock()


def _generation_sql() -> str:
    qn = connection.ops.quote_name
    return f"SELECT {qn('value')} FROM {qn(CredentialGeneration._meta.db_table)} WHERE {qn('id')} = 1"  # noqa: S608 - names from the model


def current_generation() -> int | None:
    """The credential generation, or None where it is not kept (no triggers: nothing is cached)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(_generation_sql())
        row = cursor.fetchone()
    return int(row[0]) if row is not None else None


def forget() -> None:
    """Drop every remembered answer of this process (tests)."""
    with _lock:
        _entries.clear()


def _user_from(entry: _Entry) -> Any:
    # A fresh instance per request: nothing one request sets on its user reaches another.
    user = get_user_model().from_db(connection.alias, list(entry.user_fields), list(entry.user_values))
    user._role_cache = entry.roles  # type: ignore[attr-defined]
    return user


def _lookup(key_hash: str) -> tuple[ApiToken | None, Any]:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return token, (token.user if token is not None else None)


def _touch(token_id: int, last_used_at: dt.datetime | None) -> dt.datetime | None:
    now = timezone.now()
    if last_used_at is None or now - last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
        return now
    return last_used_at


def authenticate(key_hash: str) -> Any:
    """The active user of the unrevoked token with this hash, or None."""
    generation = current_generation()
    entry = _entries.get(key_hash) if generation is not None else None
    if entry is not None and entry.generation == generation:
        touched = _touch(entry.token_id, entry.last_used_at)
        if touched is not entry.last_used_at:
            entry.last_used_at = touched
        return _user_from(entry)
    if entry is not None:
        with _lock:
            _entries.clear()  # the generation moved: every remembered answer may be stale
    token, user = _lookup(key_hash)
    if token is None:
        return None
    token.last_used_at = _touch(token.pk, token.last_used_at)
    if generation is None:
        return user
    fields = tuple(f.attname for f in user._meta.concrete_fields)
    fresh = _Entry(
        generation=generation,
        token_id=token.pk,
        user_fields=fields,
        user_values=tuple(getattr(user, f) for f in fields),
        roles=roles_of(user),
        last_used_at=token.last_used_at,
    )
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key_hash] = fresh
    return _user_from(fresh)
