"""Access-log labels for incidents (registered with the access log by ``IncidentsConfig.ready``)."""

ACTION_LABELS: dict[str, str] = {
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
}
ACTION_GROUP_LABELS: dict[str, str] = {"incident.": "漏えい等事案（すべて）"}
