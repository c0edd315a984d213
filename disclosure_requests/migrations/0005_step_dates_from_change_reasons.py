"""Move the day of 利用停止の実施 and of 取下げ out of the history change reasons into their fields.

Until 0004 these two steps, which have no table of their own, kept their day in the django-simple-history
change reason (``"withdrawn:2026-06-05"``, ``"suspension_carried_out:2026-06-12"``) and the detail page
parsed it back. Forwards, for every request with such a version: that version and every later one carry
the day in the new field, so does the request itself, and the reason becomes the step's name alone (as the
services now write it). Backwards, the day goes back into the reason; 0004 then drops the fields.
"""

import datetime as dt

from django.db import migrations
from django.db.models import Q

# History change reason (the step's name) -> the field that now holds its day.
STEP_FIELDS = {"suspension_carried_out": "suspension_carried_out_on", "withdrawn": "withdrawn_on"}


def _split(reason):
    """``(step, day)`` from an old reason ``"<step>:<iso day>"``; day is None when it does not parse."""
    code, sep, iso = (reason or "").partition(":")
    if not sep or code not in STEP_FIELDS:
        return None
    try:
        return code, dt.date.fromisoformat(iso.strip())
    except ValueError:
        return code, None


def forwards(apps, schema_editor):
    PrivacyRequest = apps.get_model("disclosure_requests", "PrivacyRequest")
    Historical = apps.get_model("disclosure_requests", "HistoricalPrivacyRequest")
    old_reasons = Q()
    for code in STEP_FIELDS:
        old_reasons |= Q(history_change_reason__startswith=f"{code}:")
    request_ids = sorted(set(Historical.objects.filter(old_reasons).values_list("id", flat=True)))
    for request_id in request_ids:
        days = dict.fromkeys(STEP_FIELDS.values())
        versions = Historical.objects.filter(id=request_id).order_by("history_date", "history_id")
        for version in versions:
            changes = {}
            split = _split(version.history_change_reason)
            if split is not None:
                code, day = split
                changes["history_change_reason"] = code
                if day is not None:
                    days[STEP_FIELDS[code]] = day
            for name, day in days.items():
                if day is not None and getattr(version, name) is None:
                    changes[name] = day
            if changes:
                Historical.objects.filter(history_id=version.history_id).update(**changes)
        for name, day in days.items():
            if day is not None:
                PrivacyRequest.objects.filter(pk=request_id, **{f"{name}__isnull": True}).update(**{name: day})


def backwards(apps, schema_editor):
    Historical = apps.get_model("disclosure_requests", "HistoricalPrivacyRequest")
    for code, name in STEP_FIELDS.items():
        versions = Historical.objects.filter(history_change_reason=code, **{f"{name}__isnull": False})
        for version in versions.only("history_id", name):
            day = getattr(version, name)
            Historical.objects.filter(history_id=version.history_id).update(
                history_change_reason=f"{code}:{day.isoformat()}"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure_requests", "0004_request_step_dates"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
