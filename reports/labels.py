"""Access-log labels for the annual reports (registered with the access log by ``ReportsConfig.ready``)."""

from django.utils.translation import gettext_noop

ACTION_LABELS: dict[str, str] = {"annual_report.download": gettext_noop("年次報告書のダウンロード")}
ACTION_GROUP_LABELS: dict[str, str] = {"annual_report.": gettext_noop("年次報告書（すべて）")}
