"""Access-log labels for the annual reports (registered with the access log by ``ReportsConfig.ready``)."""

ACTION_LABELS: dict[str, str] = {"annual_report.download": "年次報告書のダウンロード"}
ACTION_GROUP_LABELS: dict[str, str] = {"annual_report.": "年次報告書（すべて）"}
