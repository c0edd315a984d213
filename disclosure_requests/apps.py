from django.apps import AppConfig


class DisclosureRequestsConfig(AppConfig):
    """開示・訂正・利用停止 requests (requests issue). No models yet."""

    name = "disclosure_requests"
    verbose_name = "開示・訂正・利用停止請求"

    def ready(self) -> None:
        from privacy_admin.core import labels

        from . import labels as own

        labels.register(own.ACTION_LABELS, own.ACTION_GROUP_LABELS)
        from . import targets as own_targets

        own_targets.register()  # how the access log shows this app's records
        from . import (
            checks,  # noqa: F401  (the 文書番号 format and the office's phone number)
            letter_admin,  # noqa: F401  (通知書テンプレート and 苦情 in the admin)
        )
