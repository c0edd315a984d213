"""Access-log labels of マイページ, registered by its AppConfig.ready."""

from django.utils.translation import gettext_noop

ACTION_LABELS: dict[str, str] = {
    "mypage.sign_in": gettext_noop("マイページへのログイン"),
    "mypage.sign_out": gettext_noop("マイページからのログアウト"),
    "mypage.view": gettext_noop("マイページでの本人による閲覧"),
    "mypage.loan_renew": gettext_noop("マイページでの貸出延長"),
    "mypage.contact_update": gettext_noop("マイページでの連絡先の変更"),
    "mypage.password_change": gettext_noop("マイページでのパスワード変更"),
    "mypage.notice_channel": gettext_noop("マイページでの通知方法の変更"),
    "mypage.history_enable": gettext_noop("読書記録の開始（本人の同意）"),
    "mypage.history_disable": gettext_noop("読書記録の停止（全件消去）"),
    "mypage.history_delete": gettext_noop("読書記録の削除"),
    "mypage.history_erased_on_reset": gettext_noop("パスワード再設定による読書記録の消去"),
    "mypage.request_submit": gettext_noop("電子申請（開示・訂正・利用停止の申出）"),
}
ACTION_GROUP_LABELS: dict[str, str] = {"mypage.": gettext_noop("マイページ（すべて）")}
