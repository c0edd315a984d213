"""Access-log labels of the backup-media register, registered by its AppConfig.ready."""

ACTION_LABELS: dict[str, str] = {
    "backup.taken": "バックアップの取得（manage.py backup）",
    "backup.medium_recorded": "バックアップ媒体の登録",
    "backup.medium_destroyed": "バックアップ媒体の廃棄の記録",
}
ACTION_GROUP_LABELS: dict[str, str] = {"backup.": "バックアップ媒体（すべて）"}
