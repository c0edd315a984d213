"""The legal basis of the seeded rule profiles, a template for a city's 施行条例, and letter wording that
cites the profile in force instead of the 山梨県 要綱's article numbers.

The profiles keep their codes ("yamanashi-15", "appi"); their display names now say which law they are.
The numbering is frozen here on purpose (disclosure_requests.citations as of this migration): a later
change is a new migration. A letter template is rewritten only when its body is still the wording of
migration 0003 — an administrator's own wording is left alone.
"""

import importlib

from django.db import migrations
from django.utils import timezone

APPI_LAW_NAME = "個人情報の保護に関する法律"

APPI_CITATIONS = {
    "disclosure_right": "第76条",
    "representative": "第76条第2項",
    "disclosure_form": "第77条第1項",
    "disclosure_amendment": "第77条第3項",
    "disclosure_decision": "第82条",
    "disclosure_grant": "第82条第1項",
    "disclosure_refusal": "第82条第2項",
    "disclosure_reasons": "",
    "neither_confirm_nor_deny": "第81条",
    "disclosure_period": "第83条第1項",
    "disclosure_extension": "第83条第2項",
    "disclosure_special": "第84条",
    "third_party_opinion": "第86条第1項・第2項",
    "third_party_wait": "第86条第3項",
    "disclosure_method": "第87条第1項",
    "method_choice": "第87条第3項・第4項",
    "method_identity": "",
    "fees": "第89条第2項",
    "correction_right": "第90条第1項",
    "correction_window": "第90条第3項",
    "correction_form": "第91条第1項",
    "correction_amendment": "第91条第3項",
    "correction_decision": "第93条",
    "correction_grant": "第93条第1項",
    "correction_refusal": "第93条第2項",
    "correction_reasons": "",
    "correction_period": "第94条第1項",
    "correction_extension": "第94条第2項",
    "correction_special": "第95条",
    "correction_recipients": "第97条",
    "suspension_right": "第98条第1項",
    "suspension_window": "第98条第3項",
    "suspension_form": "第99条第1項",
    "suspension_amendment": "第99条第3項",
    "suspension_decision": "第101条",
    "suspension_grant": "第101条第1項",
    "suspension_refusal": "第101条第2項",
    "suspension_reasons": "",
    "suspension_period": "第102条第1項",
    "suspension_extension": "第102条第2項",
    "suspension_special": "第103条",
    "appeal_notice": "行政不服審査法第82条第1項",
    "information_provision": "第127条",
    "complaints": "第128条",
    "publication": "第127条",
    "annual_report": "",
    "incident_report": "第68条第1項",
    "incident_notice": "第68条第2項",
    "register": "第75条第1項",
    # The Act sets no yearly report of the file register's state.
    "register_report": "",
}

YAMANASHI_CITATIONS = {
    "disclosure_right": "第17条",
    "representative": "第17条第2項",
    "disclosure_form": "第18条第1項",
    "disclosure_amendment": "第18条第3項",
    "disclosure_decision": "第23条",
    "disclosure_grant": "第23条第1項",
    "disclosure_refusal": "第23条第2項",
    "disclosure_reasons": "第23条第3項",
    "neither_confirm_nor_deny": "第22条",
    "disclosure_period": "第24条第1項",
    "disclosure_extension": "第24条第2項",
    "disclosure_special": "第25条",
    "third_party_opinion": "第26条第1項・第2項",
    "third_party_wait": "第26条第3項",
    "disclosure_method": "第27条第1項",
    "method_choice": "第27条第2項・第3項",
    "method_identity": "第27条第4項",
    "fees": "第28条",
    "correction_right": "第30条第1項",
    "correction_window": "第30条第3項",
    "correction_form": "第31条第1項",
    "correction_amendment": "第31条第3項",
    "correction_decision": "第33条",
    "correction_grant": "第33条第1項",
    "correction_refusal": "第33条第2項",
    "correction_reasons": "第33条第3項",
    "correction_period": "第34条第1項",
    "correction_extension": "第34条第2項",
    "correction_special": "第35条",
    "correction_recipients": "第36条",
    "suspension_right": "第37条第1項",
    "suspension_window": "第37条第3項",
    "suspension_form": "第38条第1項",
    "suspension_amendment": "第38条第3項",
    "suspension_decision": "第40条",
    "suspension_grant": "第40条第1項",
    "suspension_refusal": "第40条第2項",
    "suspension_reasons": "第40条第3項",
    "suspension_period": "第41条第1項",
    "suspension_extension": "第41条第2項",
    "suspension_special": "第42条",
    "appeal_notice": "",
    "information_provision": "第44条",
    "complaints": "第45条",
    "publication": "第49条",
    "annual_report": "第50条",
    "incident_report": "第48条第1項",
    "incident_notice": "",
    "register": "第16条",
    "register_report": "第16条第6項",
}

PROFILES = {
    "appi": {
        "name": "個人情報の保護に関する法律（行政機関等）",
        "source": "個人情報の保護に関する法律 第83条（開示30日＋延長30日）、第84条（特例）、第94–95条、第102–103条",
        "law_name": APPI_LAW_NAME,
        "law_short_name": "法",
        "citations": APPI_CITATIONS,
        "is_template": False,
    },
    "yamanashi-15": {
        "name": "山梨県立図書館 要綱（指定管理者）",
        "source": "山梨県立図書館の個人情報の保護に関する要綱 第24条（開示15日＋延長15日）、第25条（特例）、第34–35条、第41–42条",
        "law_name": "山梨県立図書館の個人情報の保護に関する要綱",
        "law_short_name": "山梨県 要綱",
        "citations": YAMANASHI_CITATIONS,
        "is_template": False,
    },
}

TEMPLATE_PROFILE = {
    "code": "ordinance-template",
    "name": "（ひな形）○○市 個人情報の保護に関する法律施行条例",
    "source": "個人情報の保護に関する法律及び○○市個人情報の保護に関する法律施行条例（複製して、条例で定める期間と条項を記入してください）",
    "law_name": APPI_LAW_NAME,
    "law_short_name": "法",
    "citations": {**APPI_CITATIONS, "fees": "○○市個人情報の保護に関する法律施行条例第○条"},
    "is_template": True,
    "is_current": False,
    "disclosure_days": 30,
    "disclosure_extension_days": 30,
    "disclosure_special_notice_days": 30,
    "disclosure_special_substantial_days": 60,
}


def _if(key: str, short: bool = False) -> str:
    var = "cite_short" if short else "cite"
    return "{% if " + var + "." + key + " %}{{ " + var + "." + key + " }}の規定により{% endif %}"


def _paren(key: str) -> str:
    return "{% if cite_short." + key + " %}（{{ cite_short." + key + " }}）{% endif %}"


# (old text of migration 0003, new text) per letter; the first citation of a letter names the law in full.
REPLACEMENTS = {
    "disclosure_full": [
        ("第23条第1項の規定により", _if("disclosure_grant")),
        ("（第27条第2項・第3項）", _paren("method_choice")),
        ("（第28条）", _paren("fees")),
        (
            "第25条の規定により",
            "{% if cite_short.disclosure_special %}{{ cite_short.disclosure_special }}の規定により{% else %}期限の特例により{% endif %}",
        ),
        ("（第27条第4項）", _paren("method_identity")),
    ],
    "disclosure_partial": [
        ("第23条第1項の規定により", _if("disclosure_grant")),
        ("（第27条第2項・第3項）", _paren("method_choice")),
        ("（第28条）", _paren("fees")),
        (
            "第25条の規定により",
            "{% if cite_short.disclosure_special %}{{ cite_short.disclosure_special }}の規定により{% else %}期限の特例により{% endif %}",
        ),
        ("（第27条第4項）", _paren("method_identity")),
    ],
    "disclosure_refused": [
        ("第23条第2項の規定により", _if("disclosure_refusal")),
        ("（第22条）", _paren("neither_confirm_nor_deny")),
        ("（第23条第2項）", _paren("disclosure_refusal")),
    ],
    "extension": [
        (
            "{{ extension_article }}の規定により、",
            "{% if extension_article %}{{ extension_article }}の規定により、{% endif %}",
        ),
    ],
    "special_extension": [
        (
            "次のとおり{{ special_article }}の規定を適用することとしたので",
            "次のとおり{% if special_article %}{{ special_article }}の規定{% else %}期限の特例{% endif %}を適用することとしたので",
        ),
        (
            "<th>{{ special_article }}の規定を適用する理由</th>",
            "<th>{% if special_article_short %}{{ special_article_short }}の規定{% else %}期限の特例{% endif %}を適用する理由</th>",
        ),
    ],
    "amendment": [
        (
            "{{ amendment_article }}の規定により、",
            "{% if amendment_article %}{{ amendment_article }}の規定により、{% endif %}",
        ),
        (
            "（{{ decision_due_article }}ただし書）",
            "{% if decision_due_article_short %}（{{ decision_due_article_short }}ただし書）{% endif %}",
        ),
    ],
    "consultation": [
        ("第26条の規定により", _if("third_party_opinion")),
        ("（第26条第3項）", _paren("third_party_wait")),
    ],
    "third_party_decision": [
        ("第26条第3項の規定により", _if("third_party_wait")),
        ("（第26条第3項）", _paren("third_party_wait")),
    ],
    "correction": [
        ("第33条第1項の規定により", _if("correction_grant")),
        ("（第36条）", _paren("correction_recipients")),
    ],
    "not_correction": [("第33条第2項の規定により", _if("correction_refusal"))],
    "suspension": [("第40条第1項の規定により", _if("suspension_grant"))],
    "not_suspension": [("第40条第2項の規定により", _if("suspension_refusal"))],
}


def _old_templates():
    return importlib.import_module("disclosure_requests.migrations.0003_default_letter_templates").TEMPLATES


def _new_body(kind: str, body: str) -> str:
    for old, new in REPLACEMENTS.get(kind, []):
        body = body.replace(old, new)
    return body


def forward(apps, schema_editor):
    RuleProfile = apps.get_model("disclosure_requests", "RuleProfile")
    for code, values in PROFILES.items():
        RuleProfile.objects.filter(code=code).update(**values)
    RuleProfile.objects.get_or_create(code=TEMPLATE_PROFILE["code"], defaults=TEMPLATE_PROFILE)

    LetterTemplate = apps.get_model("disclosure_requests", "LetterTemplate")
    HistoricalLetterTemplate = apps.get_model("disclosure_requests", "HistoricalLetterTemplate")
    now = timezone.now()
    for kind, (_title, old_body) in _old_templates().items():
        new_body = _new_body(kind, old_body)
        for template in LetterTemplate.objects.filter(kind=kind, body=old_body):
            template.body = new_body
            template.save(update_fields=["body", "updated_at"])
            HistoricalLetterTemplate.objects.create(
                id=template.pk,
                kind=kind,
                title=template.title,
                body=new_body,
                updated_at=template.updated_at,
                history_date=now,
                history_type="~",
                history_change_reason="適用する法令の条項を期限ルールから引用する文面",
            )


def backward(apps, schema_editor):
    LetterTemplate = apps.get_model("disclosure_requests", "LetterTemplate")
    for kind, (_title, old_body) in _old_templates().items():
        LetterTemplate.objects.filter(kind=kind, body=_new_body(kind, old_body)).update(body=old_body)
    apps.get_model("disclosure_requests", "RuleProfile").objects.filter(
        code=TEMPLATE_PROFILE["code"], is_current=False
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("disclosure_requests", "0007_profile_citations_letter_numbers")]
    operations = [migrations.RunPython(forward, backward)]
