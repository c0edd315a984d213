"""Access-log labels for contractors, contracts, operators and oversight (registered with the access log by the
AppConfig.ready). Each module that writes an action adds its labels here."""

from django.utils.translation import gettext_noop

ACTION_LABELS: dict[str, str] = {}
ACTION_GROUP_LABELS: dict[str, str] = {}

# --- oversight and access review (outsourcing.oversight, outsourcing.access_review; helper o3) ---
ACTION_LABELS |= {
    "oversight.training_record": gettext_noop("研修の記録"),
    "oversight.report_submit": gettext_noop("業務報告の提出"),
    "oversight.report_review": gettext_noop("業務報告の確認"),
    "oversight.report_out_of_scope": gettext_noop("範囲外アクセス（業務報告）"),
    "oversight.audit_record": gettext_noop("実地監査の記録"),
    "oversight.action_add": gettext_noop("是正措置の登録"),
    "oversight.action_done": gettext_noop("是正措置の完了"),
    "oversight.review_record": gettext_noop("契約の見直しの記録"),
    "oversight.reminder": gettext_noop("見直し・是正措置の督促メール"),
    "access_review.view": gettext_noop("操作状況の点検（表示）"),
    "access_review.download": gettext_noop("操作状況の点検（PDF出力）"),
}
ACTION_GROUP_LABELS |= {
    "oversight.": gettext_noop("委託の監督（すべて）"),
    "access_review.": gettext_noop("操作状況の点検（すべて）"),
}

# --- contractors, contracts, operator accounts (outsourcing.services, outsourcing.auth; helper o1) ---
ACTION_LABELS |= {
    "contractor.create": gettext_noop("委託先の登録"),
    "contractor.update": gettext_noop("委託先の情報の変更"),
    "contract.create": gettext_noop("委託契約の登録"),
    "contract.update": gettext_noop("委託契約の内容の変更"),
    "contract.view": gettext_noop("委託契約の閲覧"),
    "contract.procedure": gettext_noop("審議会の手続の記録"),
    "contract.clauses": gettext_noop("特記事項の合意の記録"),
    "contract.handler_add": gettext_noop("取扱者の追加"),
    "contract.handler_in_charge": gettext_noop("取扱責任者の指名"),
    "contract.contractor_change": gettext_noop("委託先の変更（契約）"),
    "contract.close": gettext_noop("契約終了によるアカウント停止"),
    "contract.end_certified": gettext_noop("資料の返還・消去の確認"),
    "operator.create": gettext_noop("操作員アカウントの作成"),
    "operator.link": gettext_noop("操作員アカウントの紐付け"),
    "operator.close": gettext_noop("操作員アカウントの停止"),
    "operator.sign_in_refused": gettext_noop("操作員のログイン拒否（契約の手続未了等）"),
    "operator.session_ended": gettext_noop("操作員のセッション終了（契約の手続未了等）"),
}
ACTION_GROUP_LABELS |= {
    "contractor.": gettext_noop("委託先（すべて）"),
    "contract.": gettext_noop("委託契約（すべて）"),
    "operator.": gettext_noop("委託先操作員（すべて）"),
}

# --- operator sessions: print guard, downloads, admin (outsourcing.print_guard, outsourcing.middleware; helper o2) ---
ACTION_LABELS |= {
    "operator.print_attempt": gettext_noop("印刷・保存の試み（委託先操作員・印刷不可）"),
    "operator.export_denied": gettext_noop("ダウンロードの拒否（委託先操作員）"),
    "operator.admin_denied": gettext_noop("管理画面へのアクセス拒否（委託先操作員）"),
}
