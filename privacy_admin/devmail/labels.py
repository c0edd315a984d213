"""Access-log labels for the development outbox. Registered with the access log from an AppConfig.ready."""

ACTION_LABELS: dict[str, str] = {
    "mail.outbox_view": "開発用送信箱の閲覧",
    "mail.outbox_open": "開発用送信箱のメール閲覧",
}
ACTION_GROUP_LABELS: dict[str, str] = {"mail.": "開発用送信箱（すべて）"}
