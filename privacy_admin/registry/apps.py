from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """個人情報取扱事務登録簿, incidents and annual reports (要綱 第16条, 第48–50条)."""

    name = "privacy_admin.registry"
    label = "registry"
    verbose_name = _("個人情報取扱事務登録簿")
