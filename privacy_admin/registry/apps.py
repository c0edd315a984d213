from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """個人情報取扱事務登録簿, incidents and annual reports (要綱 第16条, 第48–50条)."""

    name = "privacy_admin.registry"
    label = "registry"
    verbose_name = _("個人情報取扱事務登録簿")

    def ready(self) -> None:
        from privacy_admin.core import hooks, labels

        from . import incident_selectors
        from . import labels as own

        labels.register(own.ACTION_LABELS, own.ACTION_GROUP_LABELS)
        # The requests' dashboard (below this app) shows the open incidents through this.
        hooks.register(hooks.INCIDENT_PANEL, incident_selectors.dashboard_panel)
