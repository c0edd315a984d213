from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """漏えい等事案: the record, the reports to the board and the Commission, the notices (山梨県 要綱 第48条; APPI art. 68)."""

    name = "incidents"
    verbose_name = _("漏えい等事案")

    def ready(self) -> None:
        from privacy_admin.core import hooks, labels

        from . import labels as own
        from . import selectors

        labels.register(own.ACTION_LABELS, own.ACTION_GROUP_LABELS)
        from . import targets as own_targets

        own_targets.register()  # how the access log shows this app's records
        # The requests' dashboard (below this app) shows the open incidents through this.
        hooks.register(hooks.INCIDENT_PANEL, selectors.dashboard_panel)
