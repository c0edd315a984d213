"""Access-log labels for sign-in, account security (passwords, two-factor) and API tokens; registered by
``AccountsConfig.ready``."""

from django.utils.translation import gettext_noop

ACTION_LABELS: dict[str, str] = {
    "auth.login": gettext_noop("ログイン"),
    "auth.logout": gettext_noop("ログアウト"),
    "auth.login_failed": gettext_noop("ログイン失敗"),
    "auth.locked_out": gettext_noop("ロックアウト"),
    "auth.password_changed": gettext_noop("パスワード変更"),
    "auth.otp_enrolled": gettext_noop("二要素認証の設定"),
    "auth.otp_removed": gettext_noop("二要素認証の解除"),
    "auth.otp_failed": gettext_noop("確認コードの誤り"),
    "api_token.create": gettext_noop("APIトークン発行"),
    "api_token.revoke": gettext_noop("APIトークン失効"),
    "auth.lockout_cleared": gettext_noop("ロック解除"),
    "api_token.create_refused": gettext_noop("APIトークン発行の拒否"),
    "api_token.refused": gettext_noop("APIトークンの拒否（アカウント利用不可）"),
}
ACTION_GROUP_LABELS: dict[str, str] = {
    "auth.": gettext_noop("認証（すべて）"),
    "api_token.": gettext_noop("APIトークン（すべて）"),
}
