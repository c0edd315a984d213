"""Access-log labels for 開示等請求 and complaint actions (registered with the access log by the AppConfig.ready)."""

ACTION_LABELS: dict[str, str] = {}
ACTION_GROUP_LABELS: dict[str, str] = {}

# Rule profiles (disclosure_requests.profiles).
ACTION_LABELS |= {
    "rule_profile.copy": "期限ルールの複製",
    "rule_profile.make_current": "適用する期限ルールの変更",
}
ACTION_GROUP_LABELS |= {"rule_profile.": "期限ルール（すべて）"}

# Requests (disclosure_requests.services, views, api).
ACTION_LABELS |= {
    "privacy_request.receive": "開示等請求の受付",
    "privacy_request.view": "開示等請求の閲覧",
    "privacy_request.amendment_request": "補正の依頼",
    "privacy_request.amendment_complete": "補正の完了",
    "privacy_request.extend": "決定期限の延長",
    "privacy_request.extend_special": "決定期限の特例延長",
    "privacy_request.consultation_send": "第三者への意見照会",
    "privacy_request.consultation_opinion": "第三者の意見書の受領",
    "privacy_request.decide": "開示等の決定",
    "privacy_request.disclosure_carry_out": "開示の実施",
    "privacy_request.correction_carry_out": "訂正の実施",
    "privacy_request.suspension_carry_out": "利用停止の実施",
    "privacy_request.withdraw": "開示等請求の取下げ",
    "privacy_request.reminder": "決定期限の通知（担当者へのメール）",
}
ACTION_GROUP_LABELS |= {"privacy_request.": "開示等請求（すべて）"}

# Letters, the held-data package and complaints (disclosure_requests.letters, package, complaints).
ACTION_LABELS |= {
    "letter.issue": "通知書の発行",
    "letter.download": "通知書のダウンロード",
    "letter.preview": "通知書のプレビュー",
    "privacy_request.package": "保有個人情報の一覧の作成",
    "complaint.receive": "苦情の受付",
    "complaint.view": "苦情の閲覧",
    "complaint.assign": "苦情の担当者指定",
    "complaint.answer": "苦情への回答",
    "complaint.close": "苦情の完了",
}
ACTION_GROUP_LABELS |= {"letter.": "通知書（すべて）", "complaint.": "苦情（すべて）"}
