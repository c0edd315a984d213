from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class PrivacyAdminConfig(AppConfig):
    name = "privacy_admin"
    verbose_name = "図書館利用者プライバシー管理"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the Japanese font check)
        from .core import labels
        from .devmail import labels as devmail_labels

        # The development outbox is no installed app: the wiring registers its labels.
        labels.register(devmail_labels.ACTION_LABELS, devmail_labels.ACTION_GROUP_LABELS)


class PrivacyAdminSiteConfig(AdminConfig):
    default_site = "privacy_admin.admin_site.PrivacyAdminSite"
