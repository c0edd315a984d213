"""Access-log labels for the register and its prints (registered with the access log by ``RegisterConfig.ready``)."""

from django.utils.translation import gettext_noop

ACTION_LABELS: dict[str, str] = {}
ACTION_GROUP_LABELS: dict[str, str] = {}

# The register's entries (register.services.entries, views, api).
ACTION_LABELS |= {
    "register_entry.create": gettext_noop("登録簿への事務の登録"),
    "register_entry.change": gettext_noop("登録簿の登録事項の変更"),
    "register_entry.abolish": gettext_noop("登録簿の事務の廃止（登録の抹消）"),
}
ACTION_GROUP_LABELS |= {"register_entry.": gettext_noop("登録簿の事務（すべて）")}

# Printing the register (register.services.printing).
ACTION_LABELS |= {
    "register_print.request": gettext_noop("登録簿のPDF作成の依頼"),
    "register_print.download": gettext_noop("登録簿のPDFのダウンロード"),
}
ACTION_GROUP_LABELS |= {"register_print.": gettext_noop("登録簿の印刷（すべて）")}
