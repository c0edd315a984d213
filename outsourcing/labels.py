"""Access-log labels for contractors, contracts, operators and oversight (registered with the access log by the
AppConfig.ready). Each module that writes an action adds its labels here."""

ACTION_LABELS: dict[str, str] = {}
ACTION_GROUP_LABELS: dict[str, str] = {}

# --- oversight and access review (outsourcing.oversight, outsourcing.access_review; helper o3) ---
ACTION_LABELS |= {
    "oversight.training_record": "研修の記録",
    "oversight.report_submit": "業務報告の提出",
    "oversight.report_review": "業務報告の確認",
    "oversight.report_out_of_scope": "範囲外アクセス（業務報告）",
    "oversight.audit_record": "実地監査の記録",
    "oversight.action_add": "是正措置の登録",
    "oversight.action_done": "是正措置の完了",
    "oversight.review_record": "契約の見直しの記録",
    "oversight.reminder": "見直し・是正措置の督促メール",
    "access_review.view": "操作状況の点検（表示）",
    "access_review.download": "操作状況の点検（PDF出力）",
}
ACTION_GROUP_LABELS |= {
    "oversight.": "委託の監督（すべて）",
    "access_review.": "操作状況の点検（すべて）",
}

# --- contractors, contracts, operator accounts (outsourcing.services, outsourcing.auth; helper o1) ---
ACTION_LABELS |= {
    "contractor.create": "委託先の登録",
    "contractor.update": "委託先の情報の変更",
    "contract.create": "委託契約の登録",
    "contract.update": "委託契約の内容の変更",
    "contract.view": "委託契約の閲覧",
    "contract.procedure": "審議会の手続の記録",
    "contract.clauses": "特記事項の合意の記録",
    "contract.handler_add": "取扱者の追加",
    "contract.handler_in_charge": "取扱責任者の指名",
    "contract.contractor_change": "委託先の変更（契約）",
    "contract.close": "契約終了によるアカウント停止",
    "contract.end_certified": "資料の返還・消去の確認",
    "operator.create": "操作員アカウントの作成",
    "operator.link": "操作員アカウントの紐付け",
    "operator.close": "操作員アカウントの停止",
    "operator.sign_in_refused": "操作員のログイン拒否（契約の手続未了等）",
    "operator.session_ended": "操作員のセッション終了（契約の手続未了等）",
}
ACTION_GROUP_LABELS |= {
    "contractor.": "委託先（すべて）",
    "contract.": "委託契約（すべて）",
    "operator.": "委託先操作員（すべて）",
}

# --- operator sessions: print guard, downloads, admin (outsourcing.print_guard, outsourcing.middleware; helper o2) ---
ACTION_LABELS |= {
    "operator.print_attempt": "印刷・保存の試み（委託先操作員・印刷不可）",
    "operator.export_denied": "ダウンロードの拒否（委託先操作員）",
    "operator.admin_denied": "管理画面へのアクセス拒否（委託先操作員）",
}
