"""Fill ``Incident.checklist_confirmed_at`` from the history.

Until 0003 the time the checklist of 規則 第43条 was last recorded was read from the newest history version
whose change reason is ``"set_triggers"``. Forwards, every version from such a version onwards carries that
version's time, and so does the incident itself. The change reason stays: it is the step's name. Backwards
there is nothing to undo (0003 then drops the field).
"""

from django.db import migrations

CHANGE_TRIGGERS = "set_triggers"


def forwards(apps, schema_editor):
    Incident = apps.get_model("registry", "Incident")
    Historical = apps.get_model("registry", "HistoricalIncident")
    incident_ids = sorted(
        set(Historical.objects.filter(history_change_reason=CHANGE_TRIGGERS).values_list("id", flat=True))
    )
    for incident_id in incident_ids:
        confirmed_at = None
        versions = Historical.objects.filter(id=incident_id).order_by("history_date", "history_id")
        for version in versions:
            if version.history_change_reason == CHANGE_TRIGGERS:
                confirmed_at = version.history_date
            if confirmed_at is not None and version.checklist_confirmed_at != confirmed_at:
                Historical.objects.filter(history_id=version.history_id).update(
                    checklist_confirmed_at=confirmed_at
                )
        if confirmed_at is not None:
            Incident.objects.filter(pk=incident_id, checklist_confirmed_at__isnull=True).update(
                checklist_confirmed_at=confirmed_at
            )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_incident_checklist_confirmed_at"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
