"""SafetyNetRun: counts per erasure rule (one JSON object) instead of a column per kind, the number
of batches, and when a run that never finished was marked interrupted. Old counts are kept: the
loans under the returned-loan rule's code, the reservations (not split by kind before) as
"reservations"."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    SafetyNetRun = apps.get_model("loans", "SafetyNetRun")
    for run in SafetyNetRun.objects.all().iterator():
        erased = {}
        if run.loans_erased:
            erased["returned_loans"] = run.loans_erased
        if run.reservations_erased:
            erased["reservations"] = run.reservations_erased
        run.erased = erased
        run.save(update_fields=["erased"])


def backwards(apps, schema_editor):
    SafetyNetRun = apps.get_model("loans", "SafetyNetRun")
    for run in SafetyNetRun.objects.all().iterator():
        erased = run.erased or {}
        run.loans_erased = int(erased.get("returned_loans", 0))
        run.reservations_erased = sum(int(n) for code, n in erased.items() if code != "returned_loans")
        run.save(update_fields=["loans_erased", "reservations_erased"])


class Migration(migrations.Migration):
    dependencies = [("loans", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="safetynetrun", name="erased", field=models.JSONField(blank=True, default=dict)
        ),
        migrations.AddField(
            model_name="safetynetrun", name="batches", field=models.PositiveIntegerField(default=0)
        ),
        migrations.AddField(
            model_name="safetynetrun",
            name="interrupted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="safetynetrun", name="loans_erased"),
        migrations.RemoveField(model_name="safetynetrun", name="reservations_erased"),
    ]
