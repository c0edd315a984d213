"""The legal basis a rule profile applies: the name of its law and the article of each rule.

A ``RuleProfile`` keeps ``citations``, a mapping from the fixed keys of ``RULES`` to an article such as
「第82条第1項」. ``Citer`` writes a citation the way a letter does: the law's full name on first mention
(「個人情報の保護に関する法律第82条第1項」), its short name after (「法第87条第3項」). A value that does not
begin with 「第」 names its own law and is written as it is (「行政不服審査法第82条第1項」); an empty value
means the profile's law has no article for the rule, and the text leaves the citation out.

The seeded numbering (``APPI_CITATIONS``, ``YAMANASHI_CITATIONS``) was checked article by article against
個人情報の保護に関する法律 (e-Gov XML, kaz-under-the-bridge/appi-related-laws sources/appi-law/content.xml)
and 山梨県立図書館の個人情報の保護に関する要綱 (seed 003).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from privacy_admin.core.dates import japanese_active

StrOrPromise = str | Promise

# (key, what the rule is). The order is the order the admin and the public page show them in.
RULES: tuple[tuple[str, StrOrPromise], ...] = (
    ("disclosure_right", _("開示請求権")),
    ("representative", _("法定代理人・代理人による請求")),
    ("disclosure_form", _("開示請求の手続（請求書の記載事項）")),
    ("disclosure_amendment", _("開示請求書の補正")),
    ("disclosure_decision", _("開示請求に対する措置")),
    ("disclosure_grant", _("開示する旨の決定（全部・一部）")),
    ("disclosure_refusal", _("開示しない旨の決定")),
    ("disclosure_reasons", _("開示しない理由の記載")),
    ("neither_confirm_nor_deny", _("保有個人情報の存否を明らかにしない拒否")),
    ("disclosure_period", _("開示決定等の期限")),
    ("disclosure_extension", _("開示決定等の期限の延長")),
    ("disclosure_special", _("開示決定等の期限の特例")),
    ("third_party_opinion", _("第三者に対する意見書提出の機会の付与")),
    ("third_party_wait", _("反対意見書の提出があった場合の2週間の期間")),
    ("disclosure_method", _("開示の実施の方法")),
    ("method_choice", _("開示の実施方法等の申出（30日）")),
    ("method_identity", _("開示を受ける際の本人確認")),
    ("fees", _("開示の手数料・費用")),
    ("correction_right", _("訂正請求権")),
    ("correction_window", _("訂正請求の期間（開示を受けた日から90日）")),
    ("correction_form", _("訂正請求の手続（請求書の記載事項）")),
    ("correction_amendment", _("訂正請求書の補正")),
    ("correction_decision", _("訂正請求に対する措置")),
    ("correction_grant", _("訂正をする旨の決定")),
    ("correction_refusal", _("訂正をしない旨の決定")),
    ("correction_reasons", _("訂正をしない理由の記載")),
    ("correction_period", _("訂正決定等の期限")),
    ("correction_extension", _("訂正決定等の期限の延長")),
    ("correction_special", _("訂正決定等の期限の特例")),
    ("correction_recipients", _("訂正した保有個人情報の提供先への通知")),
    ("suspension_right", _("利用停止請求権")),
    ("suspension_window", _("利用停止請求の期間（開示を受けた日から90日）")),
    ("suspension_form", _("利用停止請求の手続（請求書の記載事項）")),
    ("suspension_amendment", _("利用停止請求書の補正")),
    ("suspension_decision", _("利用停止請求に対する措置")),
    ("suspension_grant", _("利用停止をする旨の決定")),
    ("suspension_refusal", _("利用停止をしない旨の決定")),
    ("suspension_reasons", _("利用停止をしない理由の記載")),
    ("suspension_period", _("利用停止決定等の期限")),
    ("suspension_extension", _("利用停止決定等の期限の延長")),
    ("suspension_special", _("利用停止決定等の期限の特例")),
    ("appeal_notice", _("不服申立ての教示")),
    ("information_provision", _("請求をしようとする者に対する情報の提供")),
    ("complaints", _("苦情の処理")),
    ("publication", _("本人の知り得る状態に置く事項（公表）")),
    ("annual_report", _("施行の状況の報告")),
    ("incident_report", _("漏えい等の報告")),
    ("incident_notice", _("漏えい等の本人への通知")),
    ("incident_board_report", _("漏えい等の教育委員会への報告")),
    ("register", _("個人情報ファイル簿・個人情報取扱事務登録簿")),
    ("register_items", _("登録簿に記載する事項")),
    ("register_timing", _("事務を開始し、又は変更する前の登録")),
    ("register_abolition", _("事務を廃止したときの登録の抹消")),
    ("register_inspection", _("登録簿の閲覧・公表")),
    ("register_report", _("登録簿の登録の状況の報告")),
)
RULE_KEYS: frozenset[str] = frozenset(key for key, _label in RULES)

# The rules a notice letter or the public page cannot do without: a profile missing one of them cannot be
# made the library's own (the municipal template is filled in first).
REQUIRED_KEYS: tuple[str, ...] = (
    "disclosure_amendment",
    "disclosure_grant",
    "disclosure_refusal",
    "disclosure_period",
    "disclosure_extension",
    "disclosure_special",
    "third_party_opinion",
    "third_party_wait",
    "method_choice",
    "correction_window",
    "correction_amendment",
    "correction_grant",
    "correction_refusal",
    "correction_period",
    "correction_extension",
    "correction_special",
    "suspension_window",
    "suspension_amendment",
    "suspension_grant",
    "suspension_refusal",
    "suspension_period",
    "suspension_extension",
    "suspension_special",
)

# What a municipal template leaves for the administrator to fill in.
PLACEHOLDER = "○"

APPI_LAW_NAME = "個人情報の保護に関する法律"
APPI_SHORT_NAME = "法"

# 個人情報の保護に関する法律 (令和3年改正後; 地方公共団体の機関には令和5年4月1日から).
APPI_CITATIONS: dict[str, str] = {
    "disclosure_right": "第76条",
    "representative": "第76条第2項",
    "disclosure_form": "第77条第1項",
    "disclosure_amendment": "第77条第3項",
    "disclosure_decision": "第82条",
    "disclosure_grant": "第82条第1項",
    "disclosure_refusal": "第82条第2項",
    # The Act has no paragraph on reasons (行政手続法 第8条 applies); the letter states them all the same.
    "disclosure_reasons": "",
    "neither_confirm_nor_deny": "第81条",
    "disclosure_period": "第83条第1項",
    "disclosure_extension": "第83条第2項",
    "disclosure_special": "第84条",
    "third_party_opinion": "第86条第1項・第2項",
    "third_party_wait": "第86条第3項",
    "disclosure_method": "第87条第1項",
    "method_choice": "第87条第3項・第4項",
    # The identity check at disclosure is in the Cabinet Order, not in the Act.
    "method_identity": "",
    # 地方公共団体の機関: 条例で定める額 (第89条第2項).
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
    # The Act sets no yearly report by the library (the Commission may ask for one, 第165条第1項).
    "annual_report": "",
    "incident_report": "第68条第1項",
    "incident_notice": "第68条第2項",
    # The Act sets no report to the board of education: that is the library's own rule (the city's 規程).
    "incident_board_report": "",
    "register": "第75条第1項",
    "register_items": "第75条第1項",
    # The Act asks local bodies for no registration before the processing starts (第74条 binds 行政機関 only)
    # and has no article on striking out an entry: the product keeps both as the library's practice.
    "register_timing": "",
    "register_abolition": "",
    "register_inspection": "第75条第1項",
    # The Act sets no yearly report of the file register's state.
    "register_report": "",
}

YAMANASHI_LAW_NAME = "山梨県立図書館の個人情報の保護に関する要綱"
YAMANASHI_SHORT_NAME = "山梨県 要綱"

# 山梨県立図書館の個人情報の保護に関する要綱 (seed 003), for its 指定管理者.
YAMANASHI_CITATIONS: dict[str, str] = {
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
    # A designated manager's decision under the 山梨県 要綱 is not an administrative disposition: no 教示 article.
    "appeal_notice": "",
    "information_provision": "第44条",
    "complaints": "第45条",
    "publication": "第49条",
    "annual_report": "第50条",
    "incident_report": "第48条第1項",
    "incident_notice": "",
    # 第48条第1項: 「直ちにその旨を教育委員会に報告し…遅滞なく…報告書及び今後の対処方針を記した文書を提出し」.
    "incident_board_report": "第48条第1項",
    "register": "第16条",
    "register_items": "第16条第1項",
    "register_timing": "第16条第2項",
    "register_abolition": "第16条第4項",
    "register_inspection": "第16条第5項",
    "register_report": "第16条第6項",
}

# A city's 施行条例 applies the Act: the Act's numbering, with what the ordinance itself sets left to fill.
ORDINANCE_TEMPLATE_CITATIONS: dict[str, str] = {
    **APPI_CITATIONS,
    "fees": f"{PLACEHOLDER}{PLACEHOLDER}市個人情報の保護に関する法律施行条例第{PLACEHOLDER}条",
    # The city's own rule on reporting an incident inside the board of education (or '' when it has none).
    "incident_board_report": f"{PLACEHOLDER}{PLACEHOLDER}市教育委員会保有個人情報管理規程第{PLACEHOLDER}条",
}


def validate_citations(value: object) -> list[str]:
    """Japanese messages for what is wrong with a ``citations`` mapping ([] when it is right)."""
    if not isinstance(value, Mapping):
        return [str(_("条項は「規則のキー: 条項」の対応表（JSON オブジェクト）で入力してください。"))]
    errors: list[str] = []
    unknown = sorted(str(key) for key in value if key not in RULE_KEYS)
    if unknown:
        errors.append(str(_("知らない規則のキーがあります: %(keys)s") % {"keys": "、".join(unknown)}))
    for key, text in value.items():
        if not isinstance(text, str) or len(text) > 120:
            errors.append(str(_("「%(key)s」の条項は120文字以内の文字列で入力してください。") % {"key": key}))
    return errors


def unfilled(*, law_name: str, citations: Mapping[str, str]) -> list[str]:
    """The labels of what is still to fill in before a profile can be the library's own."""
    labels = dict(RULES)
    missing: list[str] = []
    if not law_name.strip() or PLACEHOLDER in law_name:
        missing.append(str(_("法令の名称")))
    for key in REQUIRED_KEYS:
        text = citations.get(key, "")
        if not text.strip():
            missing.append(str(labels[key]))
    for key, text in citations.items():
        if PLACEHOLDER in text and key in labels and str(labels[key]) not in missing:
            missing.append(str(labels[key]))
    return missing


_ARTICLE = re.compile(r"第(\d+)条(?:の(\d+))?")
_PARAGRAPH = re.compile(r"第(\d+)項")
_ITEM = re.compile(r"第(\d+)号")
_ROMAN = (("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


def _roman(n: int) -> str:
    out = ""
    for letters, value in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def article_in_english(text: str) -> str:
    """「第24条第1項・第2項」 as English legal text writes it (``art. 24(1) and (2)``), item numbers in roman
    (「第43条第4号」: ``art. 43(iv)``); a law's own name in the text (data) is kept as it is."""
    text = _ARTICLE.sub(lambda m: f" art. {m[1]}" + (f"-{m[2]}" if m[2] else ""), text)
    text = _PARAGRAPH.sub(lambda m: f"({m[1]})", text)
    text = _ITEM.sub(lambda m: f"({_roman(int(m[1]))})", text)
    text = text.replace("ただし書", ", proviso").replace("・", " and ").replace("、", "; ")
    return re.sub(r"\s+", " ", text).replace(" and  art.", " and art.").strip()


def article_of(profile: object, *keys: str) -> str:
    """For a message: the short citation of the first of ``keys`` that ``profile``'s law has an article for
    (「法第83条第2項」), else the law's short name (a ``RuleProfile``; duck-typed: this module imports no
    model)."""
    cite = getattr(profile, "cite", None)
    for key in keys:
        text = cite(key, short=True) if cite is not None else ""
        if text:
            return text
    return str(getattr(profile, "law_short_name", "") or getattr(profile, "law_name", ""))


class Citer:
    """Writes citations of one profile: the law's full name on first mention, its short name after."""

    def __init__(self, *, law_name: str, short_name: str, citations: Mapping[str, str]) -> None:
        self.law_name = law_name
        self.short_name = short_name or law_name
        self.citations = citations
        self._mentioned = False

    def article(self, key: str) -> str:
        """The bare article of ``key`` (「第82条第1項」), or ''."""
        if key not in RULE_KEYS:
            raise KeyError(key)
        return (self.citations.get(key) or "").strip()

    def full(self, key: str) -> str:
        return self._write(key, self.law_name)

    def short(self, key: str) -> str:
        return self._write(key, self.short_name)

    def __call__(self, key: str) -> str:
        """Full on the first citation of this law, short after (another law's citation changes nothing)."""
        article = self.article(key)
        if not article or not article.startswith("第"):
            return article
        text = self.short(key) if self._mentioned else self.full(key)
        self._mentioned = True
        return text

    def _write(self, key: str, law: str) -> str:
        article = self.article(key)
        if not article:
            return ""
        if not japanese_active():
            english = article_in_english(article)
            return english if not article.startswith("第") else f"{law}, {english}"
        if not article.startswith("第"):
            return article  # names its own law
        return f"{law}{article}"

    def all_full(self) -> dict[str, str]:
        return {key: self.full(key) for key, _label in RULES}

    def all_short(self) -> dict[str, str]:
        return {key: self.short(key) for key, _label in RULES}
