"""Japanese labels for the action codes written to the access log (shown on the log page)."""

from __future__ import annotations

from backups import labels as backup_labels
from disclosure_requests import labels as request_labels
from loans import labels as loans_labels
from outsourcing import labels as outsourcing_labels
from privacy_admin.accounts import labels as account_labels
from privacy_admin.devmail import labels as devmail_labels
from privacy_admin.registry import labels as registry_labels

ACTION_LABELS: dict[str, str] = {
    "auth.login": "ログイン",
    "auth.logout": "ログアウト",
    "auth.login_failed": "ログイン失敗",
    "auth.locked_out": "ロックアウト",
    "access.denied": "アクセス拒否",
    "patron.view": "利用者情報の閲覧",
    "patron.register": "利用者登録",
    "patron.update": "登録内容変更",
    "patron.renew": "更新",
    "patron.cancel": "登録取消",
    "patron.erase": "利用者データ削除",
    "patron.password_set": "パスワード再設定",
    "patron.password_reset_self": "パスワード再設定（本人）",
    "patron.out_of_scope": "範囲外アクセス",
    "patron.search": "利用者検索",
    "patron.import": "一括登録",
    "paper_form.destroyed": "申請書廃棄",
    "paper_form.reminder": "申請書廃棄の督促",
    "api_token.create": "APIトークン発行",
    "api_token.revoke": "APIトークン失効",
    "audit.view": "アクセスログ閲覧",
    "audit.purge": "保存期間経過ログの削除",
    "audit.checkpoint_print": "チェックポイントの印刷",
}
# Each app keeps the labels of its own actions next to its services.
ACTION_LABELS |= (
    loans_labels.ACTION_LABELS
    | request_labels.ACTION_LABELS
    | registry_labels.ACTION_LABELS
    | outsourcing_labels.ACTION_LABELS
    | account_labels.ACTION_LABELS
    | devmail_labels.ACTION_LABELS
    | backup_labels.ACTION_LABELS
)

# Prefixes offered in the filter ("patron." = every patron.* action).
ACTION_GROUP_LABELS: dict[str, str] = {
    "auth.": "認証（すべて）",
    "patron.": "利用者（すべて）",
    "paper_form.": "紙の申請書（すべて）",
    "api_token.": "APIトークン（すべて）",
    "audit.": "アクセスログ（すべて）",
}
ACTION_GROUP_LABELS |= (
    loans_labels.ACTION_GROUP_LABELS
    | request_labels.ACTION_GROUP_LABELS
    | registry_labels.ACTION_GROUP_LABELS
    | outsourcing_labels.ACTION_GROUP_LABELS
    | devmail_labels.ACTION_GROUP_LABELS
    | backup_labels.ACTION_GROUP_LABELS
)

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
