"""開示・訂正・利用停止 requests, their deadlines, decisions, letters and complaints (domain.md §7; 山梨県 要綱 第17–45条).

Deadline arithmetic lives in the pure module ``disclosure_requests.deadlines``; these models only hold
the facts it works from (received date, 補正 periods, extensions, the rule profile in force at intake)
and the due date it computed, cached for ordering the dashboard.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from patrons.models import Patron
from privacy_admin.core.dataitems import DataItem, declare_not_personal, declare_personal_fields

from .citations import Citer, unfilled, validate_citations

REGISTER_ENTRY_REQUESTS = "privacy-requests"  # 保有個人情報の開示・訂正・利用停止請求に関する事務


class RuleProfile(models.Model):
    """The periods of one set of rules. "15-day" (山梨県 要綱) and "APPI" are seeded; copy one to edit."""

    code = models.SlugField(_("コード"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    source = models.CharField(_("根拠"), max_length=200, blank=True)
    # Exactly one profile is the library's own (chosen in the admin).
    is_current = models.BooleanField(_("この図書館で適用"), default=False)

    disclosure_days = models.PositiveSmallIntegerField(_("開示決定期限（日）"), default=15)
    disclosure_extension_days = models.PositiveSmallIntegerField(_("開示 延長の上限（日）"), default=15)
    disclosure_special_notice_days = models.PositiveSmallIntegerField(
        _("開示 特例延長の通知期限（日）"), default=15
    )
    disclosure_special_substantial_days = models.PositiveSmallIntegerField(
        _("開示 特例延長で相当部分を決定する期限（日）"), default=30
    )
    correction_days = models.PositiveSmallIntegerField(_("訂正決定期限（日）"), default=30)
    correction_extension_days = models.PositiveSmallIntegerField(_("訂正 延長の上限（日）"), default=30)
    correction_special_notice_days = models.PositiveSmallIntegerField(
        _("訂正 特例延長の通知期限（日）"), default=30
    )
    suspension_days = models.PositiveSmallIntegerField(_("利用停止決定期限（日）"), default=30)
    suspension_extension_days = models.PositiveSmallIntegerField(_("利用停止 延長の上限（日）"), default=30)
    suspension_special_notice_days = models.PositiveSmallIntegerField(
        _("利用停止 特例延長の通知期限（日）"), default=30
    )
    request_window_days = models.PositiveSmallIntegerField(
        _("訂正・利用停止の請求期間（開示を受けた日から・日）"), default=90
    )
    method_choice_days = models.PositiveSmallIntegerField(_("開示の実施方法の申出期間（日）"), default=30)
    third_party_wait_days = models.PositiveSmallIntegerField(
        _("第三者反対時の決定から実施までの期間（日）"), default=14
    )
    third_party_opinion_days = models.PositiveSmallIntegerField(_("第三者の意見書提出期限（日）"), default=14)
    amendment_reply_days = models.PositiveSmallIntegerField(_("補正の回答期限（日）"), default=14)

    # The legal basis (disclosure_requests.citations): the law's name, its short form after first mention,
    # and the article of each rule keyed by citations.RULES ("" where the law has no article for it).
    law_name = models.CharField(_("法令の名称"), max_length=120, blank=True)
    law_short_name = models.CharField(_("法令の略称（2回目以降の引用）"), max_length=40, blank=True)
    citations = models.JSONField(_("規則ごとの条項"), default=dict, blank=True)
    # 山梨県 要綱 第17条第2項: a person's appointed agent may ask only for 保有特定個人情報; under 法第76条第2項
    # an appointed agent may ask for any information.
    appointed_agent_specific_only = models.BooleanField(
        _("任意代理人による請求を特定個人情報に限る"), default=False
    )
    # A template (a city's 施行条例) is copied and filled in; it is never the library's own as it stands.
    is_template = models.BooleanField(_("ひな形（複製して記入）"), default=False)

    class Meta:
        verbose_name = _("期限ルール")
        verbose_name_plural = _("期限ルール")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_profile"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = validate_citations(self.citations)
        if errors:
            raise ValidationError({"citations": errors})
        missing = unfilled(law_name=self.law_name, citations=self.citations)
        if missing and not self.is_template:
            raise ValidationError(
                {
                    "is_template": _(
                        "まだ記入していない項目があります（%(items)s）。ひな形のままにしてください。"
                    )
                    % {"items": "、".join(missing)}
                }
            )

    def citer(self) -> Citer:
        """A fresh ``Citer``: the law's full name on its first citation, the short name after."""
        return Citer(law_name=self.law_name, short_name=self.law_short_name, citations=self.citations or {})

    def cite(self, key: str, *, short: bool = False) -> str:
        """「個人情報の保護に関する法律第82条第1項」 (or 「法第82条第1項」 with ``short``); '' when the law
        has no article for the rule (the text then leaves the citation out)."""
        citer = self.citer()
        return citer.short(key) if short else citer.full(key)


class ClosedDay(models.Model):
    """The library's own closed days (休館日). Weekends, national holidays and 12/29–1/3 are built in."""

    date = models.DateField(_("日付"), unique=True)
    reason = models.CharField(_("理由"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("休館日")
        verbose_name_plural = _("休館日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}"


class RequestKind(models.TextChoices):
    DISCLOSURE = "disclosure", _("開示請求")
    CORRECTION = "correction", _("訂正請求")
    SUSPENSION = "suspension", _("利用停止請求")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("受付")
    AMENDING = "amending", _("補正中")
    CONSULTING = "consulting", _("第三者照会中")
    DECIDED = "decided", _("決定済み")
    CLOSED = "closed", _("完了")
    WITHDRAWN = "withdrawn", _("取下げ")


class Channel(models.TextChoices):
    COUNTER = "counter", _("窓口")
    MAIL = "mail", _("郵送")
    ONLINE = "online", _("電子申請")


class ComplaintChannel(models.TextChoices):
    """How a complaint came in: a complaint may also be made by telephone (the public 第49条 page says so),
    unlike a request, which is made in writing."""

    COUNTER = "counter", _("窓口")
    PHONE = "phone", _("電話")
    MAIL = "mail", _("郵送")
    ONLINE = "online", _("電子申請")


class RequesterKind(models.TextChoices):
    SELF = "self", _("本人")
    MINOR_REPRESENTATIVE = "minor_representative", _("未成年者の法定代理人")
    WARD_REPRESENTATIVE = "ward_representative", _("成年被後見人の法定代理人")
    APPOINTED_AGENT = "appointed_agent", _("任意代理人（本人の委任による代理人）")


class SuspensionKind(models.TextChoices):
    STOP_USE = "stop_use", _("利用の停止")
    ERASE = "erase", _("消去")
    STOP_PROVISION = "stop_provision", _("提供の停止")


class Outcome(models.TextChoices):
    # 開示 (山梨県 要綱 第21–23条)
    FULL = "full", _("全部開示")
    PARTIAL = "partial", _("部分開示")
    REFUSED = "refused", _("不開示")
    NEITHER = "neither", _("存否応答拒否")
    NOT_HELD = "not_held", _("不存在")
    # 訂正 (第33条)
    CORRECT = "correct", _("訂正する")
    NOT_CORRECT = "not_correct", _("訂正しない")
    # 利用停止 (第40条)
    SUSPEND = "suspend", _("利用停止する")
    NOT_SUSPEND = "not_suspend", _("利用停止しない")


OUTCOMES_BY_KIND: dict[str, tuple[str, ...]] = {
    RequestKind.DISCLOSURE: (
        Outcome.FULL,
        Outcome.PARTIAL,
        Outcome.REFUSED,
        Outcome.NEITHER,
        Outcome.NOT_HELD,
    ),
    RequestKind.CORRECTION: (Outcome.CORRECT, Outcome.NOT_CORRECT),
    RequestKind.SUSPENSION: (Outcome.SUSPEND, Outcome.NOT_SUSPEND),
}


class WithholdingReason(models.TextChoices):
    # 山梨県 要綱 第19条 (法 第78条): the categories of non-disclosable information. The labels carry no item
    # number, since the two number them differently.
    LAW = "law", _("法令等の規定により開示できない情報")
    REQUESTER_HARM = "requester_harm", _("本人の生命、健康、生活又は財産を害するおそれがある情報")
    THIRD_PERSON = "third_person", _("開示請求者以外の個人に関する情報")
    BUSINESS = "business", _("法人等の利益を害するおそれがある情報")
    PUBLIC_SAFETY = "public_safety", _("公共の安全と秩序の維持に支障を及ぼすおそれがある情報")
    DELIBERATION = "deliberation", _("審議、検討又は協議に関する情報")
    PUBLIC_TASK = "public_task", _("事務又は事業の適正な遂行に支障を及ぼすおそれがある情報")


class PrivacyRequest(models.Model):
    kind = models.CharField(_("種類"), max_length=16, choices=RequestKind.choices)
    number = models.CharField(_("受付番号"), max_length=32, unique=True)
    status = models.CharField(
        _("状態"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    profile = models.ForeignKey(
        RuleProfile, verbose_name=_("期限ルール"), on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("受付日"))
    channel = models.CharField(_("受付方法"), max_length=16, choices=Channel.choices, default=Channel.COUNTER)
    requester_kind = models.CharField(
        _("請求者"), max_length=24, choices=RequesterKind.choices, default=RequesterKind.SELF
    )
    requester_name = models.CharField(_("請求者氏名"), max_length=60)
    requester_address = models.CharField(_("請求者住所"), max_length=120, blank=True)
    requester_phone = models.CharField(_("請求者電話番号"), max_length=20, blank=True)
    # When a representative applies: the person the information is about.
    principal_name = models.CharField(_("本人氏名（代理請求の場合）"), max_length=60, blank=True)
    identity_document_type = models.CharField(_("確認した本人確認書類"), max_length=40)
    representation_document = models.CharField(_("代理権を確認した書類"), max_length=60, blank=True)
    information_requested = models.TextField(_("請求に係る保有個人情報"), max_length=2000)
    patron = models.ForeignKey(
        Patron, verbose_name=_("利用者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # 訂正 / 利用停止: the disclosure they rest on (山梨県 要綱 第30条3, 第37条3: within 90 days of it).
    disclosed_on = models.DateField(_("開示を受けた日"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("基となる開示請求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    correction_content = models.TextField(_("訂正を求める内容"), max_length=2000, blank=True)
    suspension_kind = models.CharField(
        _("利用停止の内容"), max_length=16, choices=SuspensionKind.choices, blank=True
    )
    reason_for_request = models.TextField(_("請求の理由"), max_length=2000, blank=True)

    due_on = models.DateField(_("決定期限"))  # cached from deadlines.decision_deadline(); None never
    clock_stopped = models.BooleanField(_("補正中（期限停止）"), default=False)
    special_extension = models.BooleanField(_("特例延長"), default=False)
    final_due_on = models.DateField(_("残りの部分の決定期限（特例延長）"), null=True, blank=True)
    # Steps with no table of their own keep their day here (services.request_withdraw,
    # services.suspension_carry_out; 山梨県 要綱 第40条第1項).
    withdrawn_on = models.DateField(_("取下げの日"), null=True, blank=True)
    suspension_carried_out_on = models.DateField(_("利用停止の実施日"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("開示等請求")
        verbose_name_plural = _("開示等請求")
        indexes = [models.Index(fields=["status", "due_on"], name="request_open_due")]

    def __str__(self) -> str:
        return self.number


class Amendment(models.Model):
    """補正: the days from the request to fix to the day the fixed request arrives are not counted (第24条)."""

    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="amendments")
    requested_on = models.DateField(_("補正を求めた日"))
    what_to_fix = models.TextField(_("補正を求める事項"), max_length=1000)
    reply_by = models.DateField(_("補正の回答期限"))
    completed_on = models.DateField(_("補正された請求の到達日"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("補正")
        verbose_name_plural = _("補正")
        ordering = ["requested_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=models.F("requested_on")),
                name="amendment_completed_after_requested",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class Extension(models.Model):
    class Kind(models.TextChoices):
        NORMAL = "normal", _("期限延長")
        SPECIAL = "special", _("期限の特例延長")

    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="extensions")
    kind = models.CharField(_("種類"), max_length=8, choices=Kind.choices)
    days = models.PositiveSmallIntegerField(_("延長日数"), default=0)
    reason = models.TextField(_("理由"), max_length=1000)
    notified_on = models.DateField(_("通知日"))
    # Special extension: the date set for the rest (相当の期間).
    remainder_due_on = models.DateField(_("残りの部分の決定期限"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("期限延長")
        verbose_name_plural = _("期限延長")
        ordering = ["notified_on", "pk"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class ThirdPartyConsultation(models.Model):
    """意見照会 (第26条): the third party's opinion, and if they object, 2 weeks before disclosure."""

    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="consultations")
    third_party_name = models.CharField(_("第三者の氏名・名称"), max_length=100)
    third_party_address = models.CharField(_("第三者の住所"), max_length=120, blank=True)
    information_concerned = models.TextField(_("照会する情報の内容"), max_length=1000)
    sent_on = models.DateField(_("照会日"))
    opinion_due_on = models.DateField(_("意見書の提出期限"))
    opinion_received_on = models.DateField(_("意見書の受領日"), null=True, blank=True)
    objected = models.BooleanField(_("開示に反対"), default=False)
    decision_notified_on = models.DateField(_("開示決定をした旨の通知日"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("第三者への意見照会")
        verbose_name_plural = _("第三者への意見照会")
        ordering = ["sent_on", "pk"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class Decision(models.Model):
    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="decisions")
    decided_on = models.DateField(_("決定日"))
    outcome = models.CharField(_("決定"), max_length=16, choices=Outcome.choices)
    # 第19条 categories (disclosure) — a list of WithholdingReason values.
    reasons = models.JSONField(_("不開示の理由区分"), default=list, blank=True)
    reason_text = models.TextField(_("理由"), max_length=2000, blank=True)
    reason_lapses_on = models.DateField(_("理由がなくなる時期"), null=True, blank=True)
    # Special extension: the decision on a substantial part, followed later by the rest.
    is_partial_scope = models.BooleanField(_("相当の部分についての決定"), default=False)
    disclosed_content = models.TextField(_("開示する保有個人情報"), max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("決定")
        verbose_name_plural = _("決定")
        ordering = ["decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def reason_labels(self) -> list[str]:
        """The 第19条 categories named by the decision, as their labels (unknown values left out)."""
        return [str(WithholdingReason(r).label) for r in self.reasons if r in WithholdingReason.values]


class DisclosureExecution(models.Model):
    """Carrying out a disclosure (第27–28条): method chosen within 30 days, fee at actual cost."""

    class Method(models.TextChoices):
        INSPECTION = "inspection", _("閲覧")
        COPY = "copy", _("写しの交付（窓口）")
        MAIL = "mail", _("写しの送付")
        ELECTRONIC = "electronic", _("電磁的記録の交付")

    request = models.OneToOneField(PrivacyRequest, on_delete=models.CASCADE, related_name="execution")
    method = models.CharField(_("実施方法"), max_length=16, choices=Method.choices)
    method_requested_on = models.DateField(_("実施方法の申出日"))
    carried_out_on = models.DateField(_("開示の実施日"))
    fee_yen = models.PositiveIntegerField(_("費用（実費・円）"), default=0)
    fee_basis = models.CharField(_("費用の内訳"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("開示の実施")
        verbose_name_plural = _("開示の実施")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class CorrectionExecution(models.Model):
    """A correction carried out and the recipients of the data told (第36条)."""

    request = models.OneToOneField(
        PrivacyRequest, on_delete=models.CASCADE, related_name="correction_execution"
    )
    corrected_on = models.DateField(_("訂正の実施日"))
    what_was_corrected = models.TextField(_("訂正の内容"), max_length=2000)
    recipients = models.TextField(_("提供先（通知先）"), max_length=1000, blank=True)
    recipients_notified_on = models.DateField(_("提供先への通知日"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("訂正の実施")
        verbose_name_plural = _("訂正の実施")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class LetterKind(models.TextChoices):
    DISCLOSURE_FULL = "disclosure_full", _("保有個人情報開示決定通知書")
    DISCLOSURE_PARTIAL = "disclosure_partial", _("保有個人情報部分開示決定通知書")
    DISCLOSURE_REFUSED = "disclosure_refused", _("保有個人情報不開示決定通知書")
    EXTENSION = "extension", _("開示決定等期限延長通知書")
    SPECIAL_EXTENSION = "special_extension", _("開示決定等期限特例延長通知書")
    AMENDMENT = "amendment", _("補正依頼書")
    CONSULTATION = "consultation", _("意見照会書")
    THIRD_PARTY_DECISION = "third_party_decision", _("開示決定をした旨の通知書")
    CORRECTION = "correction", _("保有個人情報訂正決定通知書")
    NOT_CORRECTION = "not_correction", _("保有個人情報を訂正しない旨の決定通知書")
    SUSPENSION = "suspension", _("保有個人情報利用停止決定通知書")
    NOT_SUSPENSION = "not_suspension", _("保有個人情報の利用停止をしない旨の決定通知書")


class LetterTemplate(models.Model):
    """The wording of one letter, editable by an administrator (names and wording vary by municipality)."""

    kind = models.CharField(_("種類"), max_length=32, choices=LetterKind.choices, unique=True)
    title = models.CharField(_("表題"), max_length=100)
    body = models.TextField(_("本文（テンプレート）"), max_length=20000)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("通知書テンプレート")
        verbose_name_plural = _("通知書テンプレート")

    def __str__(self) -> str:
        return self.title


class Letter(models.Model):
    """A letter as issued: the PDF is kept, since it is part of what the library holds about the person."""

    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("種類"), max_length=32, choices=LetterKind.choices)
    issued_on = models.DateField(_("発行日"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The consultation a 意見照会書 / 開示決定をした旨の通知書 is addressed for.
    consultation = models.ForeignKey(
        ThirdPartyConsultation, null=True, blank=True, on_delete=models.CASCADE, related_name="letters"
    )
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    # 文書番号 (settings.LETTER_NUMBER_FORMAT, e.g. 図書第123号), numbered per 年度 of issue; separate from
    # the request's 受付番号. Letters issued before the numbering have none.
    document_number = models.CharField(_("文書番号"), max_length=40, blank=True)
    document_fiscal_year = models.PositiveSmallIntegerField(_("文書番号の年度"), null=True, blank=True)
    document_sequence = models.PositiveIntegerField(_("文書番号の連番"), null=True, blank=True)

    class Meta:
        verbose_name = _("発行した通知書")
        verbose_name_plural = _("発行した通知書")
        ordering = ["issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_fiscal_year", "document_sequence"],
                condition=Q(document_sequence__isnull=False),
                name="letter_document_number_unique_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class Complaint(models.Model):
    """苦情 (山梨県 要綱 第45条): recorded, assigned, answered and closed; counted for the annual report."""

    class Status(models.TextChoices):
        OPEN = "open", _("受付")
        ANSWERED = "answered", _("回答済み")
        CLOSED = "closed", _("完了")

    number = models.CharField(_("受付番号"), max_length=32, unique=True)
    received_on = models.DateField(_("受付日"))
    channel = models.CharField(
        _("受付方法"), max_length=16, choices=ComplaintChannel.choices, default=ComplaintChannel.COUNTER
    )
    complainant_name = models.CharField(_("申出者氏名"), max_length=60, blank=True)
    contact = models.CharField(_("連絡先"), max_length=120, blank=True)
    summary = models.TextField(_("苦情の内容"), max_length=2000)
    related_request = models.ForeignKey(
        PrivacyRequest,
        verbose_name=_("関連する請求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("回答"), max_length=2000, blank=True)
    answered_on = models.DateField(_("回答日"), null=True, blank=True)
    closed_on = models.DateField(_("完了日"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("苦情")
        verbose_name_plural = _("苦情")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return self.number


class OnlineApplication(models.Model):
    """電子申請: a 開示・訂正・利用停止 request a patron made at マイページ, awaiting the identity check
    (山梨県 要綱 第18条第2項) that makes it a received request. The statutory clock has not started: it starts
    when an officer receives it (``online_application_receive``), which creates the ``PrivacyRequest``
    with the patron's answers and the rule profile in force that day."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("本人確認待ち")
        RECEIVED = "received", _("受付済み")

    class IdentityBy(models.TextChoices):
        COUNTER = "counter", _("窓口で本人確認書類を提示する")
        MAIL = "mail", _("本人確認書類の写しと住民票の写しを郵送する")

    kind = models.CharField(_("種類"), max_length=16, choices=RequestKind.choices)
    patron = models.ForeignKey(Patron, on_delete=models.CASCADE, related_name="+")
    submitted_on = models.DateField(_("申出日"))
    information_requested = models.TextField(_("請求に係る保有個人情報"), max_length=2000)
    disclosed_on = models.DateField(_("開示を受けた日"), null=True, blank=True)
    correction_content = models.TextField(_("訂正を求める内容"), max_length=2000, blank=True)
    suspension_kind = models.CharField(
        _("利用停止の内容"), max_length=16, choices=SuspensionKind.choices, blank=True
    )
    reason_for_request = models.TextField(_("請求の理由"), max_length=2000, blank=True)
    identity_by = models.CharField(_("本人確認の方法"), max_length=16, choices=IdentityBy.choices)
    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.AWAITING)
    request = models.OneToOneField(
        PrivacyRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="online_application"
    )

    class Meta:
        verbose_name = _("電子申請")
        verbose_name_plural = _("電子申請")
        indexes = [models.Index(fields=["status", "submitted_on"], name="online_application_status")]

    def __str__(self) -> str:
        return f"電子申請 #{self.pk}"


declare_personal_fields(
    "disclosure_requests.PrivacyRequest",
    register_entry=REGISTER_ENTRY_REQUESTS,
    requester_name=DataItem.NAME,
    requester_address=DataItem.ADDRESS,
    requester_phone=DataItem.PHONE,
    principal_name=DataItem.NAME,
    identity_document_type=DataItem.IDENTITY_DOCUMENT_TYPE,
    patron=DataItem.CARD_NUMBER,
    requester_kind=DataItem.REQUESTER_KIND,
)
declare_personal_fields(
    "disclosure_requests.ThirdPartyConsultation",
    register_entry=REGISTER_ENTRY_REQUESTS,
    third_party_name=DataItem.NAME,
    third_party_address=DataItem.ADDRESS,
)
declare_personal_fields(
    "disclosure_requests.Complaint",
    register_entry=REGISTER_ENTRY_REQUESTS,
    complainant_name=DataItem.NAME,
    contact=DataItem.CONTACT,
)
declare_not_personal(
    "disclosure_requests.RuleProfile",
    reason="期限ルールと根拠となる法令・要綱の名称（設定のマスタ）",
    fields=("name", "law_name", "law_short_name"),
)
declare_not_personal(
    "disclosure_requests.RuleProfile",
    reason="任意代理人を特定個人情報に限るかどうかの設定（法令の定め。人ではない）",
    fields=("appointed_agent_specific_only",),
)
declare_not_personal(
    "disclosure_requests.OnlineApplication",
    reason="本人確認の方法の区分（窓口・郵送などの選択肢。人の名前ではない）",
    fields=("identity_by",),
)
declare_personal_fields(
    "disclosure_requests.OnlineApplication",
    register_entry=REGISTER_ENTRY_REQUESTS,
    patron=DataItem.CARD_NUMBER,
)
