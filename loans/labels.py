"""Access-log labels for circulation and notice actions (registered with the access log by the AppConfig.ready).

Card-scan operations name the patron, barcode operations name the item; no event names both.
"""

from django.utils.translation import gettext_noop

ACTION_LABELS: dict[str, str] = {
    # names the patron
    "circulation.lend": gettext_noop("貸出"),
    "circulation.reserve": gettext_noop("予約"),
    "circulation.reservation_lend": gettext_noop("予約資料の受渡し"),
    "circulation.reservation_cancel": gettext_noop("予約取消"),
    "circulation.out_of_scope": gettext_noop("範囲外アクセス（貸出・予約）"),
    # names the item
    "circulation.return": gettext_noop("返却"),
    "circulation.capture": gettext_noop("予約資料の確保・到着"),
    "circulation.reservation_ready": gettext_noop("予約資料の取置"),
    "circulation.reservation_expire": gettext_noop("取置期限切れ"),
    "circulation.damage_report": gettext_noop("汚破損の受付"),
    "circulation.damage_settle": gettext_noop("汚破損案件の処理完了"),
    "circulation.item_create": gettext_noop("資料登録"),
    # neither: counts only
    "circulation.item_import": gettext_noop("資料の一括登録"),
    "circulation.hold_shelf_view": gettext_noop("取置資料一覧の表示"),
    "circulation.damage_list_view": gettext_noop("汚破損案件一覧の表示"),
    "circulation.safety_net": gettext_noop("安全網ジョブ（貸出・予約記録の消去）"),
    "circulation.safety_net_batch": gettext_noop("安全網ジョブの消去（1バッチ）"),
    "circulation.erasure_replay": gettext_noop("復元したバックアップへの消去台帳の再適用"),
    "circulation.offline_return_import": gettext_noop("返却データの一括取込（移動図書館など）"),
    # notices (loans.notices)
    "notice.overdue_queue": gettext_noop("督促通知の作成"),
    "notice.postcards_print": gettext_noop("はがきの印刷"),
    "notice.phone_sheet_view": gettext_noop("電話連絡票の表示"),
    "notice.called": gettext_noop("電話連絡の記録"),
    "notice.to_postcard": gettext_noop("はがきへの切替"),
}
ACTION_GROUP_LABELS: dict[str, str] = {
    "circulation.": gettext_noop("貸出・予約（すべて）"),
    "notice.": gettext_noop("通知（すべて）"),
}
