from django.apps import AppConfig


class DisclosureRequestsConfig(AppConfig):
    """開示・訂正・利用停止 requests (requests issue). No models yet."""

    name = "disclosure_requests"
    verbose_name = "開示・訂正・利用停止請求"
