"""Access-log labels of the backup-media register, registered by its AppConfig.ready."""

from django.utils.translation import gettext_noop

ACTION_LABELS: dict[str, str] = {
    "backup.taken": gettext_noop("バックアップの取得（manage.py backup）"),
    "backup.medium_recorded": gettext_noop("バックアップ媒体の登録"),
    "backup.medium_destroyed": gettext_noop("バックアップ媒体の廃棄の記録"),
}
ACTION_GROUP_LABELS: dict[str, str] = {"backup.": gettext_noop("バックアップ媒体（すべて）")}
