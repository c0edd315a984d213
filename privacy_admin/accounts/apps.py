from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "privacy_admin.accounts"
    label = "accounts"
    verbose_name = "職員アカウント"

    def ready(self) -> None:
        from privacy_admin.core import labels

        from . import labels as own

        labels.register(own.ACTION_LABELS, own.ACTION_GROUP_LABELS)
        from . import targets as own_targets

        own_targets.register()  # how the access log shows this app's records
        from . import receivers  # noqa: F401  (login / logout / failure / lockout events)
