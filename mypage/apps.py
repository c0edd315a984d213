from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MypageConfig(AppConfig):
    """マイページ: the patron's own pages and API, and the reading history only the patron can read."""

    name = "mypage"
    verbose_name = _("マイページ")

    def ready(self) -> None:
        from privacy_admin.core import hooks, labels

        from . import labels as own
        from . import services
        from .models import HistoryEntry

        labels.register(own.ACTION_LABELS, own.ACTION_GROUP_LABELS)
        hooks.register(hooks.LOAN_RETURNED, services.history_record_return)
        hooks.register(hooks.NOTICE_CHANNEL_PREFERENCE, services.notice_channel_preference)
        hooks.register(hooks.PATRON_PASSWORD_REPLACED, services.history_erase_on_password_replaced)
        hooks.register(hooks.ERASURE_EXTRA_MODELS, lambda: (HistoryEntry,))
