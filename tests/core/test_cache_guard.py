"""privacy_admin.core.cache_guard: the cache is an optimisation — a document is rendered when the cache is
down; a rate limit fails closed when it cannot count; the log names the error's class only."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache

from privacy_admin.core import cache_guard


class DeadCache:
    def __getattr__(self, name: str):
        def fail(*args, **kwargs):
            raise ConnectionError("redis://secret-host:6379 refused")

        return fail


@pytest.fixture
def dead_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_guard, "cache", DeadCache())


def test_a_document_is_rendered_once_then_served_from_the_cache() -> None:
    cache.delete("doc-1")
    renders: list[int] = []

    def render() -> bytes:
        renders.append(1)
        return b"%PDF-1.7"

    assert cache_guard.cached_bytes("doc-1", render, timeout=60) == b"%PDF-1.7"
    assert cache_guard.cached_bytes("doc-1", render, timeout=60) == b"%PDF-1.7"
    assert len(renders) == 1
    cache.delete("doc-1")


def test_with_the_cache_down_the_document_is_rendered(dead_cache: None, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        assert cache_guard.cached_bytes("doc-2", lambda: b"rendered", timeout=60) == b"rendered"
    assert "error=ConnectionError" in caplog.text and "secret-host" not in caplog.text


def test_a_rate_limit_counts_within_its_window() -> None:
    cache.delete("rl-test")
    assert [cache_guard.rate_limit_hit("rl-test", window_seconds=60) for _ in range(3)] == [1, 2, 3]
    cache.delete("rl-test")


def test_a_rate_limit_fails_closed_when_the_cache_is_down(dead_cache: None, caplog) -> None:
    with caplog.at_level(logging.WARNING), pytest.raises(cache_guard.RateLimitUnavailable):
        cache_guard.rate_limit_hit("rl-down", window_seconds=60)
    assert "secret-host" not in caplog.text
