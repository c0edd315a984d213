"""Run one app's migrations back and forth inside a test (``transactional_db``): build the old state with
the historical models of a migration, migrate, read the result with the historical models again."""

from __future__ import annotations

from collections.abc import Iterator
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


@contextmanager
def at_migration(app: str, name: str) -> Iterator[Apps]:
    """``app`` migrated back to ``name`` for the block, and forward to its latest migration afterwards,
    whatever happens inside (the other tests need the current schema)."""
    executor = MigrationExecutor(connection)
    (leaf,) = executor.loader.graph.leaf_nodes(app)
    try:
        yield migrate_to(app, name)
    finally:
        migrate_to(*leaf)
