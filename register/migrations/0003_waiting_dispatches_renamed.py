from django.db import migrations

OLD = "privacy_admin.registry.tasks."
NEW = "register.tasks."


def rename(apps, schema_editor, old=OLD, new=NEW):
    """Print jobs still waiting for a worker (the broker was down) keep their place under the task's new name;
    the beat entry for the sweep is written from ``privacy_admin/celery.py`` on the next start."""
    pending = apps.get_model("dispatch", "PendingDispatch")
    for row in pending.objects.using(schema_editor.connection.alias).filter(task__startswith=old):
        row.task = new + row.task[len(old) :]
        row.save(update_fields=["task"])
    periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    for row in periodic.objects.using(schema_editor.connection.alias).filter(task__startswith=old):
        row.task = new + row.task[len(old) :]
        row.save(update_fields=["task"])


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    """The register's Celery tasks moved from ``privacy_admin.registry.tasks`` to ``register.tasks``."""

    dependencies = [
        ("register", "0002_tables_renamed"),
        ("dispatch", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
