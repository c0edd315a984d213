from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    """個人情報取扱事務登録簿 and its printed copies (山梨県 要綱 第16条; APPI art. 75), and the public page (第49条)."""

    name = "register"
    verbose_name = _("個人情報取扱事務登録簿")

    def ready(self) -> None:
        from privacy_admin.core import labels

        from . import labels as own

        labels.register(own.ACTION_LABELS, own.ACTION_GROUP_LABELS)
        from . import targets as own_targets

        own_targets.register()  # how the access log shows this app's records
        from . import checks  # noqa: F401  (the public page's address)
