"""Default wording of the twelve notice letters (要綱 第18, 23–27, 31, 33–35, 38, 40–42条).

Modelled on the 様式 municipalities use for these notices (保有個人情報開示決定通知書, 部分開示・不開示決定
通知書, 期限延長・特例延長通知書, 補正依頼書, 意見照会書, 開示決定をした旨の通知書, 訂正・利用停止の決定通知書).
Names and wording vary by municipality: administrators edit them in the admin (通知書テンプレート). The
variables are documented in disclosure_requests.letters.CONTEXT_VARIABLES. A "+" history row is written
for each, so the seeded wording can be restored from the admin's history after an edit.

The wording is frozen here on purpose: a later change to the defaults is a new migration.
"""

from django.db import migrations
from django.utils import timezone

APPEAL = """
<div class="appeal"><p class="center">教　示</p>{{ appeal_notice|linebreaksbr }}</div>"""

REQUESTED_ROW = """
<tr><th>{{ request_kind_label }}に係る保有個人情報</th><td>{{ information_requested|linebreaksbr }}</td></tr>"""

REASONS = """{% if withholding_reasons %}<ul>{% for reason in withholding_reasons %}<li>{{ reason }}</li>{% endfor %}</ul>{% endif %}{{ reason_text|linebreaksbr }}"""

LAPSES_ROW = """
{% if reason_lapses_on %}<tr><th>開示しない理由がなくなる期日</th><td>{{ reason_lapses_on|wareki }}</td></tr>{% endif %}"""

PURPOSE_ROW = """
<tr><th>開示する保有個人情報の利用目的</th><td>図書館資料の貸出し、予約その他の図書館サービスの提供及びこれに付随する事務（図書館資料の館内及び館外利用等に関する業務）</td></tr>"""

EXECUTION_ROWS = """
<tr><th>開示の実施の方法</th><td>{% if execution_method %}{{ execution_method }}{% else %}閲覧、写しの交付（窓口）、写しの送付又は電磁的記録の交付のうちから、希望する方法をお選びください。{% endif %}</td></tr>
<tr><th>開示の実施の日時・場所</th><td>{% if execution_date %}{{ execution_date|wareki }}<br>{% endif %}場所：{{ library_office }}<br>日時は、開館時間内で担当とご相談のうえ決めます。</td></tr>
<tr><th>開示の実施方法等の申出</th><td>この通知があった日から{{ method_choice_days }}日以内に、「保有個人情報の開示の実施方法等申出書」により、希望する開示の実施の方法等をお申し出ください（第27条第2項・第3項）。</td></tr>
<tr><th>費用</th><td>閲覧は無料です。写しの交付又は送付を希望する場合は、写しの作成及び送付に要する実費をご負担いただきます（第28条）。{% if fee_yen %}（{{ fee_yen }}円）{% endif %}</td></tr>"""

PARTIAL_SCOPE_NOTE = """
{% if is_partial_scope %}<p class="note">※ この決定は、第25条の規定により、請求に係る保有個人情報のうち相当の部分について行うものです。残りの部分については、{{ remainder_due_on|wareki }}までに決定します。</p>{% endif %}"""

IDENTITY_NOTE = """
<p class="note">※ 開示を受ける際は、請求者本人であること（代理人の場合は、その資格）を確認できる書類をお持ちください（第27条第4項）。</p>"""

TEMPLATES = {
    "disclosure_full": (
        "保有個人情報開示決定通知書",
        """<p>　{{ received_on|wareki }}付けで請求のありました保有個人情報の開示について、次のとおり開示することに決定したので、第23条第1項の規定により通知します。</p>
<table>"""
        + REQUESTED_ROW
        + """
<tr><th>開示する保有個人情報</th><td>{{ disclosed_content|default:information_requested|linebreaksbr }}</td></tr>
<tr><th>開示決定日</th><td>{{ decided_on|wareki }}</td></tr>"""
        + PURPOSE_ROW
        + EXECUTION_ROWS
        + """
</table>"""
        + PARTIAL_SCOPE_NOTE
        + IDENTITY_NOTE,
    ),
    "disclosure_partial": (
        "保有個人情報部分開示決定通知書",
        """<p>　{{ received_on|wareki }}付けで請求のありました保有個人情報の開示について、次のとおりその一部を開示することに決定したので、第23条第1項の規定により通知します。</p>
<table>"""
        + REQUESTED_ROW
        + """
<tr><th>開示する保有個人情報</th><td>{{ disclosed_content|linebreaksbr }}</td></tr>
<tr><th>開示しない部分及び開示しない理由</th><td>"""
        + REASONS
        + """</td></tr>"""
        + LAPSES_ROW
        + """
<tr><th>部分開示決定日</th><td>{{ decided_on|wareki }}</td></tr>"""
        + PURPOSE_ROW
        + EXECUTION_ROWS
        + """
</table>"""
        + PARTIAL_SCOPE_NOTE
        + IDENTITY_NOTE
        + APPEAL,
    ),
    "disclosure_refused": (
        "保有個人情報不開示決定通知書",
        """<p>　{{ received_on|wareki }}付けで請求のありました保有個人情報の開示について、次のとおり開示しないことに決定したので、第23条第2項の規定により通知します。</p>
<table>"""
        + REQUESTED_ROW
        + """
<tr><th>開示しない旨の決定日</th><td>{{ decided_on|wareki }}</td></tr>
<tr><th>開示しないこととした理由</th><td>{% if outcome == "neither" %}請求に係る保有個人情報が存在しているか否かを答えるだけで不開示情報を開示することとなるため、保有個人情報の存否を明らかにしないで請求を拒否します（第22条）。{% elif outcome == "not_held" %}請求に係る保有個人情報を保有していないため（第23条第2項）。{% endif %}"""
        + REASONS
        + """</td></tr>"""
        + LAPSES_ROW
        + """
</table>"""
        + APPEAL,
    ),
    "extension": (
        "開示決定等期限延長通知書",
        """<p>　{{ received_on|wareki }}付けで請求のありました保有個人情報の{{ request_term }}について、{{ extension_article }}の規定により、{{ decision_term }}の期間を次のとおり延長することとしたので通知します。</p>
<table>"""
        + REQUESTED_ROW
        + """
<tr><th>延長前の{{ decision_term }}の期限</th><td>{{ original_due_on|wareki }}</td></tr>
<tr><th>延長後の期間</th><td>{{ extension_days }}日間延長し、{{ extended_due_on|wareki }}までとします。</td></tr>
<tr><th>延長の理由</th><td>{{ extension_reason|linebreaksbr }}</td></tr>
</table>""",
    ),
    "special_extension": (
        "開示決定等期限特例延長通知書",
        """<p>　{{ received_on|wareki }}付けで請求のありました保有個人情報の{{ request_term }}について、次のとおり{{ special_article }}の規定を適用することとしたので通知します。</p>
<table>"""
        + REQUESTED_ROW
        + """
<tr><th>{{ special_article }}の規定を適用する理由</th><td>{{ special_reason|linebreaksbr }}</td></tr>
{% if request_kind == "disclosure" %}<tr><th>相当の部分について開示決定等をする期限</th><td>{{ substantial_due_on|wareki }}</td></tr>
<tr><th>残りの保有個人情報について開示決定等をする期限</th><td>{{ remainder_due_on|wareki }}</td></tr>{% else %}<tr><th>{{ decision_term }}をする期限</th><td>{{ remainder_due_on|wareki }}</td></tr>{% endif %}
</table>""",
    ),
    "amendment": (
        "補正依頼書",
        """<p>　{{ received_on|wareki }}付けで提出のありました{{ request_kind_label }}書には形式上の不備がありますので、{{ amendment_article }}の規定により、次のとおり補正を求めます。</p>
<table>
<tr><th>補正を求める事項</th><td>{{ amendment_what_to_fix|linebreaksbr }}</td></tr>
<tr><th>補正の期限</th><td>{{ amendment_reply_by|wareki }}</td></tr>
<tr><th>補正の方法</th><td>この依頼書を添えて、補正した請求書又は補正の内容を記載した書面を、{{ library_office }}に提出（郵送可）してください。</td></tr>
</table>
<p class="note">※ 補正を求めた日の翌日から補正された請求書が届いた日までの日数は、{{ decision_term }}の期間に算入しません（{{ decision_due_article }}ただし書）。</p>
<p class="note">※ 補正の仕方が分からない場合は、担当までお問い合わせください。補正の参考となる情報をお知らせします。</p>""",
    ),
    "consultation": (
        "意見照会書",
        """<p>　当館に対し、保有個人情報の開示請求がありました。当該請求に係る保有個人情報には、あなたに関する情報が含まれているため、第26条の規定により、開示について意見書を提出する機会を設けることとしました。</p>
<p>　つきましては、開示に関するご意見を、別紙「開示に関する意見書」により、{{ opinion_due_on|wareki }}までに提出してください。</p>
<table>
<tr><th>開示請求の受付日</th><td>{{ received_on|wareki }}</td></tr>
<tr><th>請求に係る保有個人情報に含まれているあなたに関する情報の内容</th><td>{{ consultation_information|linebreaksbr }}</td></tr>
<tr><th>意見書の提出期限</th><td>{{ opinion_due_on|wareki }}</td></tr>
<tr><th>意見書の提出先</th><td>{{ library_office }}</td></tr>
</table>
<p class="note">※ 期限までに意見書の提出がない場合は、開示について特段のご意見がないものとして取り扱います。</p>
<p class="note">※ 開示に反対の意見書を提出された場合でも、開示決定をすることがあります。その場合は、開示決定の日と開示を実施する日との間に少なくとも2週間を置き、開示決定後直ちに、開示決定をした旨及びその理由並びに開示を実施する日を書面でお知らせします（第26条第3項）。</p>
<p class="note">※ 請求者の氏名等は、請求者の個人情報であるためお知らせできません。</p>""",
    ),
    "third_party_decision": (
        "開示決定をした旨の通知書",
        """<p>　{{ consultation_sent_on|wareki }}付けで意見照会をした保有個人情報の開示について、あなたから開示に反対の意思を表示した意見書の提出がありましたが、次のとおり開示決定をしたので、第26条第3項の規定により通知します。</p>
<table>
<tr><th>開示決定をした保有個人情報（あなたに関する情報の内容）</th><td>{{ consultation_information|linebreaksbr }}</td></tr>
<tr><th>開示決定日</th><td>{{ decided_on|wareki }}</td></tr>
<tr><th>開示決定をした理由</th><td>{{ disclosure_reason|linebreaksbr }}</td></tr>
<tr><th>開示を実施する日</th><td>{{ disclosure_date|wareki }}</td></tr>
</table>
<p class="note">※ 開示決定の日と開示を実施する日との間には、少なくとも2週間を置いています（第26条第3項）。</p>"""
        + APPEAL,
    ),
    "correction": (
        "保有個人情報訂正決定通知書",
        """<p>　{{ received_on|wareki }}付けで請求のありました保有個人情報の訂正について、次のとおり訂正することに決定したので、第33条第1項の規定により通知します。</p>
<table>"""
        + REQUESTED_ROW
        + """
<tr><th>訂正を求める内容</th><td>{{ correction_content|linebreaksbr }}</td></tr>
<tr><th>訂正の内容</th><td>{% if what_was_corrected %}{{ what_was_corrected|linebreaksbr }}{% else %}請求のとおり訂正します。{% endif %}</td></tr>
<tr><th>訂正決定日</th><td>{{ decided_on|wareki }}</td></tr>
{% if corrected_on %}<tr><th>訂正の実施日</th><td>{{ corrected_on|wareki }}</td></tr>{% endif %}
</table>
<p class="note">※ 訂正した保有個人情報の提供先がある場合は、必要に応じて、提供先に訂正の旨を通知します（第36条）。</p>""",
    ),
    "not_correction": (
        "保有個人情報を訂正しない旨の決定通知書",
        """<p>　{{ received_on|wareki }}付けで請求のありました保有個人情報の訂正について、次のとおり訂正をしないことに決定したので、第33条第2項の規定により通知します。</p>
<table>"""
        + REQUESTED_ROW
        + """
<tr><th>訂正を求める内容</th><td>{{ correction_content|linebreaksbr }}</td></tr>
<tr><th>訂正をしない旨の決定日</th><td>{{ decided_on|wareki }}</td></tr>
<tr><th>訂正をしないこととした理由</th><td>{{ reason_text|linebreaksbr }}</td></tr>
</table>"""
        + APPEAL,
    ),
    "suspension": (
        "保有個人情報利用停止決定通知書",
        """<p>　{{ received_on|wareki }}付けで請求のありました保有個人情報の利用停止について、次のとおり利用停止をすることに決定したので、第40条第1項の規定により通知します。</p>
<table>"""
        + REQUESTED_ROW
        + """
<tr><th>利用停止の内容</th><td>{{ suspension_kind_label }}</td></tr>
<tr><th>利用停止決定日</th><td>{{ decided_on|wareki }}</td></tr>
{% if reason_text %}<tr><th>備考</th><td>{{ reason_text|linebreaksbr }}</td></tr>{% endif %}
</table>""",
    ),
    "not_suspension": (
        "保有個人情報の利用停止をしない旨の決定通知書",
        """<p>　{{ received_on|wareki }}付けで請求のありました保有個人情報の利用停止について、次のとおり利用停止をしないことに決定したので、第40条第2項の規定により通知します。</p>
<table>"""
        + REQUESTED_ROW
        + """
<tr><th>求められた利用停止の内容</th><td>{{ suspension_kind_label }}</td></tr>
<tr><th>利用停止をしない旨の決定日</th><td>{{ decided_on|wareki }}</td></tr>
<tr><th>利用停止をしないこととした理由</th><td>{{ reason_text|linebreaksbr }}</td></tr>
</table>"""
        + APPEAL,
    ),
}


def create(apps, schema_editor):
    LetterTemplate = apps.get_model("disclosure_requests", "LetterTemplate")
    HistoricalLetterTemplate = apps.get_model("disclosure_requests", "HistoricalLetterTemplate")
    now = timezone.now()
    for kind, (title, body) in TEMPLATES.items():
        template, created = LetterTemplate.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})
        if created:
            HistoricalLetterTemplate.objects.create(
                id=template.pk,
                kind=kind,
                title=title,
                body=body,
                updated_at=template.updated_at,
                history_date=now,
                history_type="+",
                history_change_reason="既定の文面",
            )


def remove(apps, schema_editor):
    LetterTemplate = apps.get_model("disclosure_requests", "LetterTemplate")
    for kind, (title, body) in TEMPLATES.items():
        LetterTemplate.objects.filter(kind=kind, title=title, body=body).delete()


class Migration(migrations.Migration):
    dependencies = [("disclosure_requests", "0002_rule_profiles")]
    operations = [migrations.RunPython(create, remove)]
