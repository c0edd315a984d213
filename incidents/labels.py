"""Access-log labels for incidents (registered with the access log by ``IncidentsConfig.ready``)."""

from django.utils.translation import gettext_noop

ACTION_LABELS: dict[str, str] = {
    "incident.record": gettext_noop("漏えい等事案の記録"),
    "incident.view": gettext_noop("漏えい等事案の閲覧"),
    "incident.update_facts": gettext_noop("漏えい等事案の事実関係の修正"),
    "incident.board_report": gettext_noop("教育委員会への第一報の記録"),
    "incident.written_report": gettext_noop("報告書及び今後の対処方針の記録"),
    "incident.set_triggers": gettext_noop("報告対象の確認（チェックリスト）"),
    "incident.commission_first_report": gettext_noop("個人情報保護委員会への速報の記録"),
    "incident.commission_final_report": gettext_noop("個人情報保護委員会への確報の記録"),
    "incident.persons_notified": gettext_noop("本人への通知の記録"),
    "incident.close": gettext_noop("漏えい等事案の完了"),
}
ACTION_GROUP_LABELS: dict[str, str] = {"incident.": gettext_noop("漏えい等事案（すべて）")}
