"""Access-log labels for the development outbox. Registered with the access log from an AppConfig.ready."""

from django.utils.translation import gettext_noop

ACTION_LABELS: dict[str, str] = {
    "mail.outbox_view": gettext_noop("開発用送信箱の閲覧"),
    "mail.outbox_open": gettext_noop("開発用送信箱のメール閲覧"),
}
ACTION_GROUP_LABELS: dict[str, str] = {"mail.": gettext_noop("開発用送信箱（すべて）")}
