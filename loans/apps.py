from django.apps import AppConfig


class LoansConfig(AppConfig):
    """Loans, reservations, counter operations and notices (circulation issue). No models yet."""

    name = "loans"
    verbose_name = "貸出・予約"
