"""Japanese labels for the action codes written to the access log (shown on the log page).

Each app keeps the labels of its own actions in its ``labels.py`` and registers them from its
``AppConfig.ready`` (``privacy_admin.core.labels``); the access log reads the registry and imports no app.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from privacy_admin.core import labels as registry
from privacy_admin.core import targets

_ACTIONS: dict[str, str] = {
    "access.denied": gettext_noop("アクセス拒否"),
    "audit.view": gettext_noop("アクセスログ閲覧"),
    "audit.purge": gettext_noop("保存期間経過ログの削除"),
    "audit.checkpoint_print": gettext_noop("チェックポイントの印刷"),
    "audit.export": gettext_noop("アクセスログのCSV出力"),
}
_GROUPS: dict[str, str] = {"audit.": gettext_noop("アクセスログ（すべて）")}
registry.register(_ACTIONS, _GROUPS)
targets.register_target("audit_log", gettext_noop("アクセスログ"))
# A page (its view name is a code, not a record: shown as it is).
targets.register_target("view", gettext_noop("画面"), lambda names: {name: name for name in names})
# Detail keys every app uses; each app registers its own (``AppConfig.ready``).
targets.register_detail(
    {
        "action": gettext_noop("操作"),
        "actor": gettext_noop("操作者で絞り込み"),
        "patron": gettext_noop("利用者で絞り込み"),
        "target": gettext_noop("対象種別"),
        "date_from": gettext_noop("開始日"),
        "date_to": gettext_noop("終了日"),
        "next_page": gettext_noop("次のページ"),
        "shown": gettext_noop("表示件数"),
        "rows": gettext_noop("行数"),
        "seq": gettext_noop("ログ番号"),
        "through_seq": gettext_noop("ログ番号（まで）"),
        "through_hash": gettext_noop("封印値（まで）"),
        "format": gettext_noop("形式"),
        "role": gettext_noop("役割"),
        "count": gettext_noop("件数"),
        "total": gettext_noop("合計"),
        "deleted": gettext_noop("削除した件数"),
        "older": gettext_noop("より古いもの"),
        "cutoff": gettext_noop("基準日時"),
        "retain_until": gettext_noop("保存期限"),
        "batches": gettext_noop("処理単位の数"),
        "dry_run": gettext_noop("試行のみ"),
        "reason": gettext_noop("理由"),
        "status": gettext_noop("状態"),
        "code": gettext_noop("コード"),
        "view": gettext_noop("画面"),
        "what": gettext_noop("対象"),
        "of": gettext_noop("対象"),
        "by": gettext_noop("実施者"),
        "from": gettext_noop("変更前"),
        "previous": gettext_noop("変更前"),
        "case": gettext_noop("事例"),
        "errors": gettext_noop("エラー数"),
        "skipped": gettext_noop("省略した件数"),
        "unknown": gettext_noop("不明"),
        "results": gettext_noop("結果"),
        "required": gettext_noop("必須"),
        "reused": gettext_noop("再利用"),
        "procedure": gettext_noop("手続"),
        "size_bytes": gettext_noop("サイズ（バイト）"),
        "sha256_prefix": gettext_noop("SHA-256（先頭）"),
        "stamped": gettext_noop("押印"),
        "fiscal_year": gettext_noop("年度"),
        "on_time": gettext_noop("期限内"),
        "overdue": gettext_noop("期限超過"),
        "late_steps": gettext_noop("遅れた手順"),
        "more_than_100": gettext_noop("100件超"),
        "bulk": gettext_noop("一括"),
        "branch": gettext_noop("館"),
        "request_id": gettext_noop("リクエストID"),
    },
    values={"format": {"html": gettext_noop("画面"), "pdf": "PDF", "csv": "CSV"}},
)

# Live views of the registry: every installed app has added its own by the time a page reads them.
ACTION_LABELS = registry.ACTIONS
ACTION_GROUP_LABELS = registry.GROUPS

ROLE_LABELS: dict[str, str] = {
    "counter_staff": gettext_noop("カウンター職員"),
    "privacy_officer": gettext_noop("個人情報保護責任者"),
    "administrator": gettext_noop("システム管理者"),
    "contractor_operator": gettext_noop("委託先操作員"),
    "system": gettext_noop("システム"),
    "patron": gettext_noop("利用者本人"),
    "none": gettext_noop("役割なし"),
}


def action_label(code: str) -> str:
    """The label of an action code in the active language ("" for a code without one)."""
    label = ACTION_LABELS.get(code, "")
    return gettext(label) if label else ""


def role_label(code: str, default: str = "") -> str:
    """The label of a role code in the active language (``default`` for an unknown code)."""
    label = ROLE_LABELS.get(code)
    return gettext(label) if label else default


def action_choices() -> list[tuple[str, str]]:
    """The log filter's choices: every prefix group, then every action, labelled in the active language."""
    return [(code, gettext(label)) for code, label in [*ACTION_GROUP_LABELS.items(), *ACTION_LABELS.items()]]


def grouped_action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The log filter's select: one group per area (its prefix), the area's 「（すべて）」 first, then
    its actions by label; actions of no registered area last, under 「その他」."""
    groups = sorted(ACTION_GROUP_LABELS.items(), key=lambda g: -len(g[0]))  # longest prefix wins
    by_area: dict[str, list[tuple[str, str]]] = {prefix: [] for prefix in ACTION_GROUP_LABELS}
    other: list[tuple[str, str]] = []
    for code, label in ACTION_LABELS.items():
        area = next((prefix for prefix, _label in groups if code.startswith(prefix)), None)
        (by_area[area] if area else other).append((code, gettext(label)))
    result = []
    for prefix, label in sorted(ACTION_GROUP_LABELS.items(), key=lambda g: gettext(g[1])):
        name = gettext(label)
        area_name = name.removesuffix(gettext("（すべて）"))
        result.append((area_name, [(prefix, name), *sorted(by_area[prefix], key=lambda c: c[1])]))
    if other:
        result.append((gettext("その他"), sorted(other, key=lambda c: c[1])))
    return result
