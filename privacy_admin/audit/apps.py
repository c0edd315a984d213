from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "privacy_admin.audit"
    label = "audit"
    verbose_name = "アクセスログ"
