"""The day of 利用停止の実施 and of 取下げ gets a field of its own (filled from the history by 0005)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure_requests', '0003_default_letter_templates'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalprivacyrequest',
            name='suspension_carried_out_on',
            field=models.DateField(blank=True, null=True, verbose_name='利用停止の実施日'),
        ),
        migrations.AddField(
            model_name='historicalprivacyrequest',
            name='withdrawn_on',
            field=models.DateField(blank=True, null=True, verbose_name='取下げの日'),
        ),
        migrations.AddField(
            model_name='privacyrequest',
            name='suspension_carried_out_on',
            field=models.DateField(blank=True, null=True, verbose_name='利用停止の実施日'),
        ),
        migrations.AddField(
            model_name='privacyrequest',
            name='withdrawn_on',
            field=models.DateField(blank=True, null=True, verbose_name='取下げの日'),
        ),
    ]
