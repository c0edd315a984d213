from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "privacy_admin.accounts"
    label = "accounts"
    verbose_name = "職員アカウント"

    def ready(self) -> None:
        from privacy_admin.core import labels

        from . import labels as own

        labels.register(own.ACTION_LABELS, own.ACTION_GROUP_LABELS)
        from . import receivers  # noqa: F401  (login / logout / failure / lockout events)
