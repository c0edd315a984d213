"""When the checklist of 規則 第43条 was last recorded gets a field of its own (filled from the history by 0004)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0002_core_entries'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalincident',
            name='checklist_confirmed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='チェックリストの最終確認日時'),
        ),
        migrations.AddField(
            model_name='incident',
            name='checklist_confirmed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='チェックリストの最終確認日時'),
        ),
    ]
