from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "privacy_admin.accounts"
    label = "accounts"
    verbose_name = "職員アカウント"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (login / logout / failure / lockout events)
