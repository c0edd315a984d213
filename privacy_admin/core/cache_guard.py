"""The cache is an optimisation: when it is down, pages still answer.

- ``cached_bytes`` serves a rendered document from the cache when it can and renders it when it
  cannot; a cache error only costs the rendering.
- ``rate_limit_hit`` counts a request against a per-key limit. A limit exists to stop guessing or
  flooding, so without the cache it fails closed: ``RateLimitUnavailable``, which the view turns into
  ``RATE_LIMIT_UNAVAILABLE_MESSAGE`` with status 503 — never a 500, never an unlimited door.

Errors are logged with the exception's class name only (its text may carry the cache's address).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

RATE_LIMIT_UNAVAILABLE_MESSAGE = _(
    "現在この操作を受け付けられません。しばらくしてからもう一度お試しください。"
)
# Seconds a client is asked to wait when the limit cannot be checked (the Retry-After header).
RETRY_AFTER_SECONDS = 60


class RateLimitUnavailable(Exception):
    """The rate limit cannot be checked (the cache is down): refuse the request."""


def cached_bytes(key: str, render: Callable[[], bytes], *, timeout: int) -> bytes:
    """``render()``'s bytes, from the cache under ``key`` when it holds them; stored for ``timeout``."""
    try:
        hit = cache.get(key)
    except Exception as exc:  # the cache is an optimisation: any failure means "not cached"
        logger.warning("cache unavailable: op=get error=%s", type(exc).__name__)
        return render()
    if isinstance(hit, bytes):
        return hit
    content = render()
    try:
        cache.set(key, content, timeout)
    except Exception as exc:
        logger.warning("cache unavailable: op=set error=%s", type(exc).__name__)
    return content


def rate_limit_hit(key: str, *, window_seconds: int) -> int:
    """Count one more request under ``key`` in a fixed window; returns the count including this one.

    Raises ``RateLimitUnavailable`` when the cache cannot count (fail closed).
    """
    try:
        cache.add(key, 0, timeout=window_seconds)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window_seconds)
            return 1
    except Exception as exc:
        logger.warning("rate limit unavailable: error=%s", type(exc).__name__)
        raise RateLimitUnavailable from None
