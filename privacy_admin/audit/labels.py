"""Japanese labels for the action codes written to the access log (shown on the log page).

Each app keeps the labels of its own actions in its ``labels.py`` and registers them from its
``AppConfig.ready`` (``privacy_admin.core.labels``); the access log reads the registry and imports no app.
"""

from __future__ import annotations

from privacy_admin.core import labels as registry

_ACTIONS: dict[str, str] = {
    "access.denied": "アクセス拒否",
    "audit.view": "アクセスログ閲覧",
    "audit.purge": "保存期間経過ログの削除",
    "audit.checkpoint_print": "チェックポイントの印刷",
}
_GROUPS: dict[str, str] = {"audit.": "アクセスログ（すべて）"}
registry.register(_ACTIONS, _GROUPS)

# Live views of the registry: every installed app has added its own by the time a page reads them.
ACTION_LABELS = registry.ACTIONS
ACTION_GROUP_LABELS = registry.GROUPS

ROLE_LABELS: dict[str, str] = {
    "counter_staff": "カウンター職員",
    "privacy_officer": "個人情報保護責任者",
    "administrator": "システム管理者",
    "contractor_operator": "委託先操作員",
    "system": "システム",
    "none": "役割なし",
}


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, "")
