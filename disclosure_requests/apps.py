from django.apps import AppConfig


class DisclosureRequestsConfig(AppConfig):
    """開示・訂正・利用停止 requests (requests issue). No models yet."""

    name = "disclosure_requests"
    verbose_name = "開示・訂正・利用停止請求"

    def ready(self) -> None:
        from . import letter_admin  # noqa: F401  (通知書テンプレート and 苦情 in the admin)
