"""The two rule profiles every library starts with; "15-day" (山梨県 要綱) is the default."""

from django.db import migrations

PROFILES = [
    {
        "code": "yamanashi-15",
        "name": "15日（山梨県 保有個人情報開示等事務取扱要綱）",
        "source": "要綱 第24条（開示15日＋延長15日）、第25条（特例：15日以内に通知、30日以内に相当の部分）、第34–35条、第41–42条",
        "is_current": True,
        "disclosure_days": 15,
        "disclosure_extension_days": 15,
        "disclosure_special_notice_days": 15,
        "disclosure_special_substantial_days": 30,
    },
    {
        "code": "appi",
        "name": "個人情報保護法（地方公共団体）",
        "source": "個人情報保護法 第83条（開示30日＋延長30日）、第84条（特例：30日以内に通知、60日以内に相当の部分）、第94–95条、第102–103条",
        "is_current": False,
        "disclosure_days": 30,
        "disclosure_extension_days": 30,
        "disclosure_special_notice_days": 30,
        "disclosure_special_substantial_days": 60,
    },
]


def create(apps, schema_editor):
    RuleProfile = apps.get_model("disclosure_requests", "RuleProfile")
    for profile in PROFILES:
        RuleProfile.objects.update_or_create(code=profile["code"], defaults=profile)


def remove(apps, schema_editor):
    apps.get_model("disclosure_requests", "RuleProfile").objects.filter(
        code__in=[p["code"] for p in PROFILES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("disclosure_requests", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
