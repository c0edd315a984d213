from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    """Encrypted backups and the backup-media register (市川市 方針 第5(2))."""

    name = "backups"
    verbose_name = _("バックアップ媒体")

    def ready(self) -> None:
        from privacy_admin.core import labels

        from . import labels as own

        labels.register(own.ACTION_LABELS, own.ACTION_GROUP_LABELS)
