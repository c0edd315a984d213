"""The purposes of the product's own entries 第2号 and 第3号 (seeded by privacy_admin.registry 0002) said
「（要綱 第17条から第45条まで）」 and 「（要綱 第11条）」: a bare 「要綱」, which names two documents (厚木市 要綱,
山梨県 要綱). They now name theirs. Only a purpose still exactly as seeded is rewritten — an administrator's
own wording is left alone — and the wording of a seed is corrected in place, as migration
disclosure_requests 0008 did for the letters: the entry's registered items do not change.
"""

from django.db import migrations

FIXES = {
    "privacy-requests": ("（要綱 第17条から第45条まで）", "（山梨県 要綱 第17条から第45条まで）"),
    "contractor-oversight": ("（要綱 第11条）", "（山梨県 要綱 第11条）"),
}


def _rewrite(apps, *, forwards: bool) -> None:
    RegisterEntry = apps.get_model("register", "RegisterEntry")
    Historical = apps.get_model("register", "HistoricalRegisterEntry")
    for code, (old, new) in FIXES.items():
        before, after = (old, new) if forwards else (new, old)
        for model in (RegisterEntry, Historical):
            for row in model.objects.filter(code=code, purpose__endswith=before):
                row.purpose = row.purpose[: -len(before)] + after
                row.save(update_fields=["purpose"])


def forwards(apps, schema_editor):
    _rewrite(apps, forwards=True)


def backwards(apps, schema_editor):
    _rewrite(apps, forwards=False)


class Migration(migrations.Migration):
    dependencies = [("register", "0004_registerprint_layout_label")]

    operations = [migrations.RunPython(forwards, backwards)]
