from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The annual reports of the fiscal year (山梨県 要綱 第16条第6項 and 第50条): read from the other apps, stored nowhere."""

    name = "reports"
    verbose_name = _("年次報告")

    def ready(self) -> None:
        from privacy_admin.core import labels

        from . import labels as own

        labels.register(own.ACTION_LABELS, own.ACTION_GROUP_LABELS)
