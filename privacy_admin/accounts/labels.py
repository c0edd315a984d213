"""Access-log labels for sign-in, account security (passwords, two-factor) and API tokens; registered by
``AccountsConfig.ready``."""

ACTION_LABELS: dict[str, str] = {
    "auth.login": "ログイン",
    "auth.logout": "ログアウト",
    "auth.login_failed": "ログイン失敗",
    "auth.locked_out": "ロックアウト",
    "auth.password_changed": "パスワード変更",
    "auth.otp_enrolled": "二要素認証の設定",
    "auth.otp_removed": "二要素認証の解除",
    "auth.otp_failed": "確認コードの誤り",
    "api_token.create": "APIトークン発行",
    "api_token.revoke": "APIトークン失効",
}
ACTION_GROUP_LABELS: dict[str, str] = {
    "auth.": "認証（すべて）",
    "api_token.": "APIトークン（すべて）",
}
