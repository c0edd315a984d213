"""Access-log labels for the register, its prints, incidents and annual reports (registered with the access log by the
AppConfig.ready). Each module that writes an action adds its labels here."""

ACTION_LABELS: dict[str, str] = {}
ACTION_GROUP_LABELS: dict[str, str] = {}

# Incidents (privacy_admin.registry.incidents, incident_views) and annual reports (reports, report_views).
ACTION_LABELS |= {
    "incident.record": "漏えい等事案の記録",
    "incident.view": "漏えい等事案の閲覧",
    "incident.update_facts": "漏えい等事案の事実関係の修正",
    "incident.board_report": "教育委員会への第一報の記録",
    "incident.written_report": "報告書及び今後の対処方針の記録",
    "incident.set_triggers": "報告対象の確認（チェックリスト）",
    "incident.commission_first_report": "個人情報保護委員会への速報の記録",
    "incident.commission_final_report": "個人情報保護委員会への確報の記録",
    "incident.persons_notified": "本人への通知の記録",
    "incident.close": "漏えい等事案の完了",
    "annual_report.download": "年次報告書のダウンロード",
}
ACTION_GROUP_LABELS |= {"incident.": "漏えい等事案（すべて）", "annual_report.": "年次報告書（すべて）"}

# The register's entries (privacy_admin.registry.services, views, api).
ACTION_LABELS |= {
    "register_entry.create": "登録簿への事務の登録",
    "register_entry.change": "登録簿の登録事項の変更",
    "register_entry.abolish": "登録簿の事務の廃止（登録の抹消）",
}
ACTION_GROUP_LABELS |= {"register_entry.": "登録簿の事務（すべて）"}

# Printing the register (privacy_admin.registry.print_services).
ACTION_LABELS |= {
    "register_print.request": "登録簿のPDF作成の依頼",
    "register_print.download": "登録簿のPDFのダウンロード",
}
ACTION_GROUP_LABELS |= {"register_print.": "登録簿の印刷（すべて）"}
