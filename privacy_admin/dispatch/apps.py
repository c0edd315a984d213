from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    """Tasks whose dispatch failed after commit, waiting for the sweeper (ids only)."""

    name = "privacy_admin.dispatch"
    label = "dispatch"
    verbose_name = _("タスクの送出")
