"""Five rules the incident and register pages cite, added to the seeded profiles; who an appointed agent may
ask for; the appointed agent's label.

* 漏えい等の教育委員会への報告 — the incident steps that go to the board of education: 山梨県 要綱 第48条第1項.
  The Act has no such article (the report inside the board is the city's own rule): empty for "appi", and
  the template asks for the city's 規程.
* 登録簿に記載する事項, 事務を開始し又は変更する前の登録, 登録の抹消, 閲覧・公表 — 山梨県 要綱 第16条第1項・
  第2項・第4項・第5項; under the Act the 個人情報ファイル簿 of 第75条第1項 (its items and its 公表); the Act
  asks local bodies for no registration before the processing starts and has no article on striking out.
* 任意代理人による請求を特定個人情報に限る — 山梨県 要綱 第17条第2項 (保有特定個人情報 only); the Act's
  第76条第2項 admits an appointed agent for any information. True for "yamanashi-15" only. The label of the
  requester kind no longer says 特定個人情報, which was the 要綱's rule, not every law's.

Frozen values (disclosure_requests.citations as of this migration). A key the profile has already is left
as it is, and a copied profile is left alone: without the keys its pages cite nothing for these rules, as for
any rule the law has no article for.
"""

from django.db import migrations, models

APPI = {
    "incident_board_report": "",
    "register_items": "第75条第1項",
    "register_timing": "",
    "register_abolition": "",
    "register_inspection": "第75条第1項",
}
VALUES = {
    "yamanashi-15": {
        "incident_board_report": "第48条第1項",
        "register_items": "第16条第1項",
        "register_timing": "第16条第2項",
        "register_abolition": "第16条第4項",
        "register_inspection": "第16条第5項",
    },
    "appi": APPI,
    "ordinance-template": {**APPI, "incident_board_report": "○○市教育委員会保有個人情報管理規程第○条"},
}


def forwards(apps, schema_editor):
    RuleProfile = apps.get_model("disclosure_requests", "RuleProfile")
    for profile in RuleProfile.objects.filter(code__in=VALUES):
        profile.citations = {**VALUES[profile.code], **(profile.citations or {})}
        profile.appointed_agent_specific_only = profile.code == "yamanashi-15"
        profile.save(update_fields=["citations", "appointed_agent_specific_only"])


def backwards(apps, schema_editor):
    RuleProfile = apps.get_model("disclosure_requests", "RuleProfile")
    for profile in RuleProfile.objects.filter(code__in=VALUES):
        citations = dict(profile.citations or {})
        for key in VALUES[profile.code]:
            citations.pop(key, None)
        profile.citations = citations
        profile.save(update_fields=["citations"])


class Migration(migrations.Migration):
    dependencies = [("disclosure_requests", "0009_complaint_channel_phone")]

    operations = [
        migrations.AddField(
            model_name="ruleprofile",
            name="appointed_agent_specific_only",
            field=models.BooleanField(default=False, verbose_name="任意代理人による請求を特定個人情報に限る"),
        ),
        migrations.AlterField(
            model_name="historicalprivacyrequest",
            name="requester_kind",
            field=models.CharField(
                choices=[
                    ("self", "本人"),
                    ("minor_representative", "未成年者の法定代理人"),
                    ("ward_representative", "成年被後見人の法定代理人"),
                    ("appointed_agent", "任意代理人（本人の委任による代理人）"),
                ],
                default="self",
                max_length=24,
                verbose_name="請求者",
            ),
        ),
        migrations.AlterField(
            model_name="privacyrequest",
            name="requester_kind",
            field=models.CharField(
                choices=[
                    ("self", "本人"),
                    ("minor_representative", "未成年者の法定代理人"),
                    ("ward_representative", "成年被後見人の法定代理人"),
                    ("appointed_agent", "任意代理人（本人の委任による代理人）"),
                ],
                default="self",
                max_length=24,
                verbose_name="請求者",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
