"""The register of personal-information processing (個人情報取扱事務登録簿, 山梨県 要綱 第16条; APPI art. 75)
and its printed copies.

An entry's 記録項目 are not typed in twice: the items the code processes come from the field inventory
(``privacy_admin.core.dataitems.PERSONAL_FIELDS``, declared next to each model), to which an entry adds the
vocabulary items it processes outside the system (paper forms) and free items.

The tables were created by the former ``registry`` app (``privacy_admin/registry/migrations``) and adopted
by this app's migration 0001 without copying a row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from privacy_admin.core.dataitems import DataItem, declare_not_personal


class CollectionSource(models.TextChoices):
    PERSON = "person", _("本人")
    REPRESENTATIVE = "representative", _("法定代理人・任意代理人")
    OTHER_AGENCY = "other_agency", _("他の実施機関")
    OTHER_BODY = "other_body", _("国・他の地方公共団体")
    THIRD_PARTY = "third_party", _("本人以外の者")
    PUBLICATION = "publication", _("刊行物等")


class RegisterEntry(models.Model):
    """One 個人情報取扱事務 (山梨県 要綱 第16条第1項 各号, plus the items the library sets under 第7号)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("登録")
        ABOLISHED = "abolished", _("廃止")

    code = models.SlugField(
        _("コード"), max_length=64, unique=True, help_text=_("コードの中で事務を指す識別子（変更不可）")
    )
    number = models.PositiveIntegerField(_("登録番号"), unique=True)
    # 第16条第1項
    name = models.CharField(_("個人情報取扱事務の名称"), max_length=200)  # (1)
    purpose = models.TextField(_("個人情報取扱事務の目的"))  # (2)
    department = models.CharField(_("所管する組織の名称"), max_length=200)  # (3)
    subjects = models.TextField(_("対象者の範囲"))  # (4)
    # (5) 記録項目: the inventory's items for this code, plus these.
    extra_items = models.JSONField(
        _("記録項目（システム外で扱う項目）"), default=list, blank=True, help_text=_("データ項目の語彙から")
    )
    free_items = models.TextField(_("その他の記録項目"), blank=True, help_text=_("1行に1項目"))
    record_range = models.CharField(_("記録範囲"), max_length=200, blank=True)  # APPI art. 75
    collection_sources = models.JSONField(_("収集先"), default=list)  # (6), CollectionSource values
    collection_source_note = models.CharField(_("収集先の補足"), max_length=200, blank=True)
    collection_method = models.CharField(_("収集方法"), max_length=200, blank=True)  # APPI
    # (7) 指定管理者が別に定める事項
    outsourced = models.BooleanField(_("外部委託の有無"), default=False)
    outsourcing_note = models.CharField(_("委託先・委託内容"), max_length=200, blank=True)
    online_connection = models.BooleanField(_("オンライン結合の有無"), default=False)
    online_connection_note = models.CharField(_("結合先"), max_length=200, blank=True)
    sensitive = models.BooleanField(_("要配慮個人情報の有無"), default=False)
    regular_recipients = models.TextField(_("経常的提供先"), blank=True)
    retention_period = models.CharField(_("保存期間"), max_length=200)
    request_office = models.CharField(_("請求を受け付ける組織"), max_length=200)
    special_procedure = models.TextField(_("訂正・利用停止の特別の手続"), blank=True)  # APPI art. 75
    file_name = models.CharField(
        _("個人情報ファイルの名称"), max_length=200, blank=True, help_text=_("空欄なら事務の名称")
    )
    # Lifecycle (第16条第2項・第4項)
    starts_on = models.DateField(_("事務の開始日"))
    registered_on = models.DateField(_("登録日"))
    changed_on = models.DateField(_("変更日"), null=True, blank=True)
    abolished_on = models.DateField(_("廃止日"), null=True, blank=True)
    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        verbose_name=_("登録簿の変更履歴"), excluded_fields=["created_at", "updated_at"]
    )

    class Meta:
        verbose_name = _("登録簿の事務")
        verbose_name_plural = _("登録簿の事務")
        ordering = ["number"]
        constraints = [
            # 第16条第2項: registered before the activity starts.
            models.CheckConstraint(
                condition=Q(starts_on__gte=models.F("registered_on")), name="entry_starts_after_registration"
            ),
            models.CheckConstraint(
                condition=Q(abolished_on__isnull=True) | Q(abolished_on__gte=models.F("registered_on")),
                name="entry_abolished_after_registration",
            ),
            models.CheckConstraint(
                condition=Q(status="registered", abolished_on__isnull=True)
                | Q(status="abolished", abolished_on__isnull=False),
                name="entry_status_matches_abolition",
            ),
        ]

    def __str__(self) -> str:
        return gettext("第%(number)s号 %(name)s") % {"number": self.number, "name": self.name}

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.REGISTERED


class RegisterPrint(models.Model):
    """A PDF of the whole register rendered by a Celery task; the page polls ``progress``."""

    class Layout(models.TextChoices):
        REGISTER = "register", _("個人情報取扱事務登録簿（山梨県 要綱 第16条）")
        APPI_FILE_BOOK = "appi", _("個人情報ファイル簿（個人情報保護法 第75条）")

    class Status(models.TextChoices):
        PENDING = "pending", _("待機中")
        RUNNING = "running", _("作成中")
        DONE = "done", _("完了")
        FAILED = "failed", _("失敗")

    layout = models.CharField(_("様式"), max_length=16, choices=Layout.choices)
    include_abolished = models.BooleanField(_("廃止した事務を含む"), default=False)
    as_of = models.DateField(_("基準日"))
    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("進捗（%）"), default=0)
    entry_count = models.PositiveIntegerField(_("事務数"), default=0)
    page_count = models.PositiveIntegerField(_("ページ数"), default=0)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    error = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("登録簿の印刷")
        verbose_name_plural = _("登録簿の印刷")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.get_layout_display()} #{self.pk}"


declare_not_personal(
    "register.RegisterEntry",
    reason="個人情報取扱事務・個人情報ファイルの名称（登録簿そのもの）",
    fields=("name", "file_name"),
)

__all__ = ["CollectionSource", "DataItem", "RegisterEntry", "RegisterPrint"]
