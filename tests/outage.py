"""Fault fixtures (architecture: fault tests point the broker and the cache at a dead port).

``dead_broker`` points the Celery app at a Redis port nobody listens on, with eager mode off, so a
publish fails as it would in production; ``dead_broker.back()`` brings "the broker" back as eager
execution (a worker that runs each task at once). ``dead_cache`` points Django's cache at a dead Redis.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

DEAD_REDIS = "redis://127.0.0.1:1/0"


class Broker:
    def __init__(self, app: Any) -> None:
        self.app = app

    def _reset(self) -> None:
        # Drops the app's handles on kombu's connection and producer pools (kept per broker URL).
        self.app._after_fork()

    def down(self) -> None:
        self.app.conf.update(broker_url=DEAD_REDIS, broker_write_url=DEAD_REDIS, task_always_eager=False)
        self._reset()

    def back(self) -> None:
        self.app.conf.update(task_always_eager=True)


@pytest.fixture
def dead_broker(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Broker]:
    from privacy_admin.celery import app

    keys = ("broker_url", "broker_write_url", "task_always_eager", "broker_transport_options")
    saved = {key: app.conf.get(key) for key in keys}
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    settings.CELERY_BROKER_URL = DEAD_REDIS
    app.conf.update(broker_transport_options={"socket_connect_timeout": 1})
    broker = Broker(app)
    broker.down()
    try:
        yield broker
    finally:
        monkeypatch.undo()  # the environment first: Celery reads it before its configuration
        app.conf.update(**saved)
        broker._reset()


@pytest.fixture
def dead_cache(settings: Any) -> Iterator[None]:
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield
    cache.close()
