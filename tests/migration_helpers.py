"""Run one app's migrations back and forth inside a test (``transactional_db``): build the old state with
the historical models of a migration, migrate, read the result with the historical models again."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(app: str, name: str) -> Apps:
    """Apply or unapply ``app``'s migrations up to ``name``; the models as they are at that migration."""
    executor = MigrationExecutor(connection)
    target = [(app, name)]
    executor.migrate(target)
    return MigrationExecutor(connection).loader.project_state(target).apps


def migrate_to_latest() -> None:
    """Every app at its latest migration."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@contextmanager
def at_migrations(targets: Sequence[tuple[str, str | None]]) -> Iterator[Apps]:
    """Each ``(app, migration)`` target applied or unapplied (``None``: the app unapplied entirely) for the
    block, and every app forward to its latest migration afterwards, whatever happens inside."""
    try:
        MigrationExecutor(connection).migrate(list(targets))
        loader = MigrationExecutor(connection).loader
        yield loader.project_state(list(loader.applied_migrations)).apps
    finally:
        migrate_to_latest()


@contextmanager
def at_migration(app: str, name: str) -> Iterator[Apps]:
    """``app`` migrated back to ``name`` for the block, and every app forward to its latest migration
    afterwards, whatever happens inside (the other tests need the current schema; going back may have
    unapplied other apps' migrations that depend on ``app``)."""
    try:
        yield migrate_to(app, name)
    finally:
        migrate_to_latest()
