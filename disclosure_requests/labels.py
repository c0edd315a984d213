"""Access-log labels for 開示等請求 and complaint actions (registered with the access log by the AppConfig.ready)."""

from django.utils.translation import gettext_noop

ACTION_LABELS: dict[str, str] = {}
ACTION_GROUP_LABELS: dict[str, str] = {}

# Rule profiles (disclosure_requests.profiles).
ACTION_LABELS |= {
    "rule_profile.copy": gettext_noop("期限ルールの複製"),
    "rule_profile.make_current": gettext_noop("適用する期限ルールの変更"),
}
ACTION_GROUP_LABELS |= {"rule_profile.": gettext_noop("期限ルール（すべて）")}

# Requests (disclosure_requests.services, views, api).
ACTION_LABELS |= {
    "privacy_request.receive": gettext_noop("開示等請求の受付"),
    "privacy_request.online_submit": gettext_noop("電子申請（マイページからの申出）"),
    "privacy_request.online_receive": gettext_noop("電子申請の受付（本人確認）"),
    "online_application.list": gettext_noop("電子申請（本人確認待ち）の一覧の閲覧"),
    "online_application.view": gettext_noop("電子申請の閲覧"),
    "privacy_request.view": gettext_noop("開示等請求の閲覧"),
    "privacy_request.amendment_request": gettext_noop("補正の依頼"),
    "privacy_request.amendment_complete": gettext_noop("補正の完了"),
    "privacy_request.extend": gettext_noop("決定期限の延長"),
    "privacy_request.extend_special": gettext_noop("決定期限の特例延長"),
    "privacy_request.consultation_send": gettext_noop("第三者への意見照会"),
    "privacy_request.consultation_opinion": gettext_noop("第三者の意見書の受領"),
    "privacy_request.decide": gettext_noop("開示等の決定"),
    "privacy_request.disclosure_carry_out": gettext_noop("開示の実施"),
    "privacy_request.correction_carry_out": gettext_noop("訂正の実施"),
    "privacy_request.suspension_carry_out": gettext_noop("利用停止の実施"),
    "privacy_request.withdraw": gettext_noop("開示等請求の取下げ"),
    "privacy_request.reminder": gettext_noop("決定期限の通知（担当者へのメール）"),
}
ACTION_GROUP_LABELS |= {"privacy_request.": gettext_noop("開示等請求（すべて）")}

# Letters, the held-data package and complaints (disclosure_requests.letters, package, complaints).
ACTION_LABELS |= {
    "letter.issue": gettext_noop("通知書の発行"),
    "letter.download": gettext_noop("通知書のダウンロード"),
    "letter.preview": gettext_noop("通知書のプレビュー"),
    "privacy_request.package": gettext_noop("保有個人情報の一覧の作成"),
    "complaint.receive": gettext_noop("苦情の受付"),
    "complaint.view": gettext_noop("苦情の閲覧"),
    "complaint.assign": gettext_noop("苦情の担当者指定"),
    "complaint.answer": gettext_noop("苦情への回答"),
    "complaint.close": gettext_noop("苦情の完了"),
}
ACTION_GROUP_LABELS |= {
    "letter.": gettext_noop("通知書（すべて）"),
    "complaint.": gettext_noop("苦情（すべて）"),
}
