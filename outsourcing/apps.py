from django.apps import AppConfig


class OutsourcingConfig(AppConfig):
    """Contractors, contracts and the scope of operator accounts."""

    name = "outsourcing"
    verbose_name = "業務委託"
