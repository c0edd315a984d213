"""How the access log shows an incident (registered by ``IncidentsConfig.ready``): by its 事案番号."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext_noop

from privacy_admin.core import targets

from .models import Incident


def incidents_shown(ids: Collection[str]) -> dict[str, str]:
    rows = Incident.objects.filter(pk__in=targets.int_ids(ids)).values_list("pk", "number")
    return {str(pk): number for pk, number in rows}


def register() -> None:
    targets.register_target("incident", gettext_noop("漏えい等事案"), incidents_shown)
    targets.register_detail(
        {
            "reportable": gettext_noop("報告対象"),
            "reportable_changed": gettext_noop("報告対象の判断の変更"),
            "people_count": gettext_noop("本人の数"),
            "report": gettext_noop("報告"),
            "incidents": gettext_noop("事案"),
        }
    )
