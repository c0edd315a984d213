"""The access log's labels for action codes, filled by each app from its ``AppConfig.ready`` so that
the log page names every action without the audit app importing the apps.

``ACTIONS`` and ``GROUPS`` are live: read them when needed, not at import time.
"""

from __future__ import annotations

from collections.abc import Mapping

# Action code -> Japanese label ("patron.view" -> 利用者情報の閲覧).
ACTIONS: dict[str, str] = {}
# Prefix offered in the log's filter ("patron." = every patron.* action) -> label.
GROUPS: dict[str, str] = {}


def register(actions: Mapping[str, str], groups: Mapping[str, str] | None = None) -> None:
    """Add an app's labels for its action codes and for its prefixes offered in the log's filter."""
    ACTIONS.update(actions)
    GROUPS.update(groups or {})
