"""Letter wording that prints well: labels that break between phrases, and the full-disclosure letter's
日時 and 費用 rows written as sentences.

* The label column of a letter is a fixed 15 characters wide (templates/disclosure_requests/pdf/letter.html).
  WeasyPrint cannot keep Japanese words whole (no ``word-break: keep-all``), so each longer label carries a
  ``<br>`` at a phrase boundary (「開示しない部分及び／開示しない理由」) instead of breaking mid-word.
* 開示の実施の日時・場所: 「日時：令和8年10月22日（木）」 when the day is fixed (``execution_day``), else
  「日時：開館時間内で、担当とご相談のうえ決めます。」, then 「場所：…」 — no longer the bare date above a
  sentence saying the date is still to be agreed.
* 費用: 「写しの交付（窓口）に要する費用は、20円です（法第89条第2項）。」 and 「（内訳：写し 2枚×10円）」
  (``fee_basis``) when the fee is known, else the rule (閲覧は無料です。…実費をご負担いただきます); no longer a bare
  「（20円）」 after the rule.

A template is rewritten only while its body is still the default wording (migration 0003 as rewritten by
0008) — an administrator's own wording is left alone. Frozen here on purpose: a later change is a new
migration.
"""

import importlib

from django.db import migrations
from django.utils import timezone

OLD_DATE_ROW = (
    "<tr><th>開示の実施の日時・場所</th><td>{% if execution_date %}{{ execution_date|wareki }}<br>{% endif %}"
    "場所：{{ library_office }}<br>日時は、開館時間内で担当とご相談のうえ決めます。</td></tr>"
)
NEW_DATE_ROW = (
    "<tr><th>開示の実施の日時・場所</th><td>日時：{% if execution_day %}{{ execution_day }}"
    "{% else %}開館時間内で、担当とご相談のうえ決めます。{% endif %}<br>場所：{{ library_office }}</td></tr>"
)
OLD_FEE_ROW = (
    "<tr><th>費用</th><td>閲覧は無料です。写しの交付又は送付を希望する場合は、写しの作成及び送付に要する実費を"
    "ご負担いただきます{% if cite_short.fees %}（{{ cite_short.fees }}）{% endif %}。"
    "{% if fee_yen %}（{{ fee_yen }}円）{% endif %}</td></tr>"
)
FEES_CITED = "{% if cite_short.fees %}（{{ cite_short.fees }}）{% endif %}。"
NEW_FEE_ROW = (
    "<tr><th>費用</th><td>{% if fee_yen %}{{ execution_method }}に要する費用は、{{ fee_yen }}円です"
    + FEES_CITED
    + "{% if fee_basis %}<br>（内訳：{{ fee_basis }}）{% endif %}{% else %}閲覧は無料です。写しの交付又は送付を"
    "希望する場合は、写しの作成及び送付に要する実費をご負担いただきます"
    + FEES_CITED
    + "{% endif %}</td></tr>"
)
EXECUTION = [(OLD_DATE_ROW, NEW_DATE_ROW), (OLD_FEE_ROW, NEW_FEE_ROW)]

# (old text of the default wording, new text) per letter.
REPLACEMENTS = {
    "disclosure_full": EXECUTION,
    "disclosure_partial": [
        *EXECUTION,
        ("<th>開示しない部分及び開示しない理由</th>", "<th>開示しない部分及び<br>開示しない理由</th>"),
    ],
    "special_extension": [
        (
            "<th>{% if special_article_short %}{{ special_article_short }}の規定{% else %}期限の特例{% endif %}"
            "を適用する理由</th>",
            "<th>{% if special_article_short %}{{ special_article_short }}の規定を<br>適用する理由"
            "{% else %}期限の特例を適用する理由{% endif %}</th>",
        ),
        (
            "<th>相当の部分について開示決定等をする期限</th>",
            "<th>相当の部分について<br>開示決定等をする期限</th>",
        ),
        (
            "<th>残りの保有個人情報について開示決定等をする期限</th>",
            "<th>残りの保有個人情報について<br>開示決定等をする期限</th>",
        ),
    ],
    "consultation": [
        (
            "<th>請求に係る保有個人情報に含まれているあなたに関する情報の内容</th>",
            "<th>請求に係る保有個人情報に<br>含まれている<br>あなたに関する情報の内容</th>",
        ),
    ],
    "third_party_decision": [
        (
            "<th>開示決定をした保有個人情報（あなたに関する情報の内容）</th>",
            "<th>開示決定をした保有個人情報<br>（あなたに関する情報の内容）</th>",
        ),
        (
            "<tr><th>開示を実施する日</th><td>{{ disclosure_date|wareki }}</td></tr>",
            "<tr><th>開示を実施する日</th><td>{{ disclosure_day }}</td></tr>",
        ),
    ],
}


def old_bodies() -> dict[str, str]:
    """The default wording before this migration: migration 0003's, as migration 0008 rewrote it."""
    templates = importlib.import_module(
        "disclosure_requests.migrations.0003_default_letter_templates"
    ).TEMPLATES
    rewrite = importlib.import_module("disclosure_requests.migrations.0008_seed_legal_basis")._new_body
    return {kind: rewrite(kind, body) for kind, (_title, body) in templates.items()}


def new_body(kind: str, body: str) -> str:
    for old, new in REPLACEMENTS.get(kind, []):
        if old not in body:  # the frozen wording changed under us: fail loudly rather than half-rewrite
            raise ValueError(f"{kind}: {old!r} not in the default wording")
        body = body.replace(old, new)
    return body


def forward(apps, schema_editor):
    LetterTemplate = apps.get_model("disclosure_requests", "LetterTemplate")
    HistoricalLetterTemplate = apps.get_model("disclosure_requests", "HistoricalLetterTemplate")
    now = timezone.now()
    for kind, old_body in old_bodies().items():
        if kind not in REPLACEMENTS:
            continue
        body = new_body(kind, old_body)
        for template in LetterTemplate.objects.filter(kind=kind, body=old_body):
            template.body = body
            template.save(update_fields=["body", "updated_at"])
            HistoricalLetterTemplate.objects.create(
                id=template.pk,
                kind=kind,
                title=template.title,
                body=body,
                updated_at=template.updated_at,
                history_date=now,
                history_type="~",
                history_change_reason="印刷の体裁（見出しの改行位置、開示の実施の日時・費用の書き方）",
            )


def backward(apps, schema_editor):
    LetterTemplate = apps.get_model("disclosure_requests", "LetterTemplate")
    for kind, old_body in old_bodies().items():
        if kind in REPLACEMENTS:
            LetterTemplate.objects.filter(kind=kind, body=new_body(kind, old_body)).update(body=old_body)


class Migration(migrations.Migration):
    dependencies = [("disclosure_requests", "0010_incident_and_register_rules")]
    operations = [migrations.RunPython(forward, backward)]
