from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    """Encrypted backups and the backup-media register (市川市 方針 第5(2))."""

    name = "backups"
    verbose_name = _("バックアップ媒体")
