"""Access-log labels of patron registration and paper forms; registered by ``PatronsConfig.ready``."""

from django.utils.translation import gettext_noop

ACTION_LABELS: dict[str, str] = {
    "patron.view": gettext_noop("利用者情報の閲覧"),
    "patron.register": gettext_noop("利用者登録"),
    "patron.update": gettext_noop("登録内容変更"),
    "patron.renew": gettext_noop("更新"),
    "patron.cancel": gettext_noop("登録取消"),
    "patron.erase": gettext_noop("利用者データ削除"),
    "patron.password_set": gettext_noop("パスワード再設定"),
    "patron.password_reset_self": gettext_noop("パスワード再設定（本人）"),
    "patron.password_reset_requested": gettext_noop("パスワード再設定の申込み（本人）"),
    "patron.password_reset_completed": gettext_noop("パスワード再設定（本人・リンク）"),
    "patron.out_of_scope": gettext_noop("範囲外アクセス"),
    "patron.search": gettext_noop("利用者検索"),
    "patron.import": gettext_noop("一括登録"),
    "paper_form.destroyed": gettext_noop("申請書廃棄"),
    "paper_form.reminder": gettext_noop("申請書廃棄の督促"),
}
ACTION_GROUP_LABELS: dict[str, str] = {
    "patron.": gettext_noop("利用者（すべて）"),
    "paper_form.": gettext_noop("紙の申請書（すべて）"),
}
