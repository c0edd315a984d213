"""Access-log labels of patron registration and paper forms; registered by ``PatronsConfig.ready``."""

ACTION_LABELS: dict[str, str] = {
    "patron.view": "利用者情報の閲覧",
    "patron.register": "利用者登録",
    "patron.update": "登録内容変更",
    "patron.renew": "更新",
    "patron.cancel": "登録取消",
    "patron.erase": "利用者データ削除",
    "patron.password_set": "パスワード再設定",
    "patron.password_reset_self": "パスワード再設定（本人）",
    "patron.out_of_scope": "範囲外アクセス",
    "patron.search": "利用者検索",
    "patron.import": "一括登録",
    "paper_form.destroyed": "申請書廃棄",
    "paper_form.reminder": "申請書廃棄の督促",
}
ACTION_GROUP_LABELS: dict[str, str] = {
    "patron.": "利用者（すべて）",
    "paper_form.": "紙の申請書（すべて）",
}
