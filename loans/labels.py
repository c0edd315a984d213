"""Access-log labels for circulation and notice actions (registered with the access log by the AppConfig.ready).

Card-scan operations name the patron, barcode operations name the item; no event names both.
"""

ACTION_LABELS: dict[str, str] = {
    # names the patron
    "circulation.lend": "貸出",
    "circulation.reserve": "予約",
    "circulation.reservation_lend": "予約資料の受渡し",
    "circulation.reservation_cancel": "予約取消",
    "circulation.out_of_scope": "範囲外アクセス（貸出・予約）",
    # names the item
    "circulation.return": "返却",
    "circulation.capture": "予約資料の確保・到着",
    "circulation.reservation_ready": "予約資料の取置",
    "circulation.reservation_expire": "取置期限切れ",
    "circulation.damage_report": "汚破損の受付",
    "circulation.damage_settle": "汚破損案件の処理完了",
    "circulation.item_create": "資料登録",
    # neither: counts only
    "circulation.item_import": "資料の一括登録",
    "circulation.hold_shelf_view": "取置資料一覧の表示",
    "circulation.damage_list_view": "汚破損案件一覧の表示",
    "circulation.safety_net": "安全網ジョブ（貸出・予約記録の消去）",
    "circulation.safety_net_batch": "安全網ジョブの消去（1バッチ）",
    "circulation.erasure_replay": "復元したバックアップへの消去台帳の再適用",
    "circulation.offline_return_import": "返却データの一括取込（移動図書館など）",
    # notices (loans.notices)
    "notice.overdue_queue": "督促通知の作成",
    "notice.postcards_print": "はがきの印刷",
    "notice.phone_sheet_view": "電話連絡票の表示",
    "notice.called": "電話連絡の記録",
    "notice.to_postcard": "はがきへの切替",
}
ACTION_GROUP_LABELS: dict[str, str] = {
    "circulation.": "貸出・予約（すべて）",
    "notice.": "通知（すべて）",
}
