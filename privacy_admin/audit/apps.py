from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "privacy_admin.audit"
    label = "audit"
    verbose_name = "アクセスログ"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
