"""Access-log labels for account security (passwords, two-factor). Merged into privacy_admin.audit.labels;
the "auth." group there covers them."""

ACTION_LABELS: dict[str, str] = {
    "auth.password_changed": "パスワード変更",
    "auth.otp_enrolled": "二要素認証の設定",
    "auth.otp_removed": "二要素認証の解除",
    "auth.otp_failed": "確認コードの誤り",
}
ACTION_GROUP_LABELS: dict[str, str] = {}
