"""Patrons and the master data around them (domain.md §4; 厚木市 要綱 第2-12条)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from privacy_admin.core.dataitems import DataItem, declare_not_personal, declare_personal_fields

REGISTER_ENTRY_LIBRARY_USE = "library-use"  # 図書館資料の館内および館外利用等に関する業務 (002)


class Branch(models.Model):
    class Kind(models.TextChoices):
        CENTRAL = "central", _("中央図書館")
        BRANCH = "branch", _("分館")
        COMMUNITY = "community", _("公民館図書室")
        MOBILE = "mobile", _("移動図書館")
        PICKUP = "pickup", _("受取窓口")

    code = models.SlugField(_("館コード"), max_length=32, unique=True)
    name = models.CharField(_("館名"), max_length=100, unique=True)
    kind = models.CharField(_("種別"), max_length=16, choices=Kind.choices)
    # 要綱 第3条: the central library, networked community rooms and the mobile library take registrations.
    accepts_registration = models.BooleanField(_("登録窓口"), default=True)
    is_active = models.BooleanField(_("有効"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("館")
        verbose_name_plural = _("館")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class PatronCategory(models.Model):
    code = models.SlugField(_("区分コード"), max_length=32, unique=True)
    name = models.CharField(_("利用者区分"), max_length=50, unique=True)
    is_child = models.BooleanField(_("児童"), default=False)
    is_group = models.BooleanField(_("団体"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("利用者区分")
        verbose_name_plural = _("利用者区分")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Eligibility(models.TextChoices):
    # 要綱 第4条
    RESIDENCE = "residence", _("在住")
    WORK = "work", _("在勤")
    SCHOOL = "school", _("在学")


class Gender(models.TextChoices):
    UNSTATED = "", _("回答しない")
    FEMALE = "female", _("女")
    MALE = "male", _("男")


class PatronStatus(models.TextChoices):
    ACTIVE = "active", _("有効")
    CANCELLED = "cancelled", _("取消")


class CancellationReason(models.TextChoices):
    MOVED = "moved", _("市外転出")
    OWN_REQUEST = "own_request", _("本人の申出")
    REVOKED = "revoked", _("登録承認の取消（厚木市 要綱第6条2項）")
    DECEASED = "deceased", _("死亡")
    OTHER = "other", _("その他")


class Patron(models.Model):
    # URLs carry this random id, never the card number (personal data stays out of URLs).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    card_number = models.CharField(_("利用者番号"), max_length=16, unique=True)
    family_name = models.CharField(_("氏名（姓）"), max_length=30)
    given_name = models.CharField(_("氏名（名）"), max_length=30)
    family_name_kana = models.CharField(_("フリガナ（姓）"), max_length=40)
    given_name_kana = models.CharField(_("フリガナ（名）"), max_length=40)
    birth_date = models.DateField(_("生年月日"))
    gender = models.CharField(_("男女の別"), max_length=8, choices=Gender.choices, blank=True, default="")
    address = models.CharField(_("住所"), max_length=120)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    email = models.EmailField(_("電子メールアドレス"), max_length=254, blank=True)
    guardian_name = models.CharField(_("保護者名"), max_length=60, blank=True)
    category = models.ForeignKey(PatronCategory, verbose_name=_("利用者区分"), on_delete=models.PROTECT)
    eligibility = models.CharField(_("登録資格"), max_length=16, choices=Eligibility.choices)
    registered_branch = models.ForeignKey(
        Branch, verbose_name=_("登録館"), on_delete=models.PROTECT, related_name="registered_patrons"
    )
    registered_on = models.DateField(_("登録日"))
    expires_on = models.DateField(_("有効期限"))
    status = models.CharField(
        _("状態"), max_length=16, choices=PatronStatus.choices, default=PatronStatus.ACTIVE
    )
    cancelled_on = models.DateField(_("取消日"), null=True, blank=True)
    cancellation_reason = models.CharField(
        _("取消理由"), max_length=16, choices=CancellationReason.choices, blank=True
    )
    # 要綱 第8条: optional, chosen by the patron, kept only as a hash ('' = none set).
    password = models.CharField(_("パスワード"), max_length=128, blank=True)
    # sha256 of normalised name + birth date + address (要綱 第6条1号: one card per person).
    duplicate_key = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["password", "duplicate_key", "updated_at"])

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")
        constraints = [
            models.UniqueConstraint(
                fields=["duplicate_key"], condition=Q(status="active"), name="patron_one_active_registration"
            )
        ]
        indexes = [
            models.Index(fields=["status", "expires_on"], name="patron_status_expiry"),
            models.Index(
                fields=["family_name_kana", "given_name_kana", "birth_date"], name="patron_kana_birth"
            ),
        ]

    def __str__(self) -> str:
        # Never the name: str() ends up in logs, admin messages and exception text.
        return f"利用者 #{self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}"

    @property
    def full_name_kana(self) -> str:
        return f"{self.family_name_kana} {self.given_name_kana}"

    @property
    def has_password(self) -> bool:
        return bool(self.password)


class IdentityCheck(models.Model):
    """Which identity document was seen, by whom and when (要綱 第4条). Never the document's number."""

    class Party(models.TextChoices):
        APPLICANT = "applicant", _("申請者本人")
        PROXY = "proxy", _("代理人")

    class Purpose(models.TextChoices):
        REGISTRATION = "registration", _("新規登録")
        RENEWAL = "renewal", _("更新")
        CHANGE = "change", _("登録内容変更・再交付")
        PASSWORD = "password", _("パスワード再設定")

    patron = models.ForeignKey(Patron, on_delete=models.CASCADE, related_name="identity_checks")
    party = models.CharField(_("確認対象"), max_length=16, choices=Party.choices)
    purpose = models.CharField(_("目的"), max_length=16, choices=Purpose.choices)
    document_type = models.CharField(_("本人確認書類"), max_length=40)
    document_issued_on = models.DateField(_("書類の発行日"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("確認者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("確認日時"))

    class Meta:
        verbose_name = _("本人確認記録")
        verbose_name_plural = _("本人確認記録")
        ordering = ["checked_at"]

    def __str__(self) -> str:
        return f"{self.get_party_display()} {self.document_type}"


class ProxyApplication(models.Model):
    """要綱 第5条: registration through a proxy when the applicant cannot come."""

    patron = models.OneToOneField(Patron, on_delete=models.CASCADE, related_name="proxy_application")
    reason = models.CharField(_("代理申請の理由"), max_length=100)
    power_of_attorney_received = models.BooleanField(_("委任状の提出"), default=False)

    class Meta:
        verbose_name = _("代理申請")
        verbose_name_plural = _("代理申請")

    def __str__(self) -> str:
        return f"代理申請 #{self.pk}"


class PaperApplicationForm(models.Model):
    """A paper form kept for a month, then shredded (要綱 第2条2; 市川市 方針 第5(1))."""

    class Kind(models.TextChoices):
        NEW = "new", _("新規図書館利用申込書")
        RENEWAL = "renewal", _("図書館利用券更新申請書")
        REISSUE = "reissue", _("図書館利用券再交付申請書")
        CHANGE = "change", _("登録内容変更申請書")
        PASSWORD = "password", _("パスワード申請書")
        POWER_OF_ATTORNEY = "poa", _("委任状")

    kind = models.CharField(_("書類"), max_length=16, choices=Kind.choices)
    patron = models.ForeignKey(
        Patron, null=True, blank=True, on_delete=models.SET_NULL, related_name="paper_forms"
    )
    branch = models.ForeignKey(Branch, verbose_name=_("受付館"), on_delete=models.PROTECT)
    received_on = models.DateField(_("受付日"))
    destroy_by = models.DateField(_("廃棄期限"))
    destroyed_on = models.DateField(_("廃棄日"), null=True, blank=True)
    destroyed_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("廃棄確認者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("紙の申請書")
        verbose_name_plural = _("紙の申請書")
        indexes = [models.Index(fields=["destroyed_on", "destroy_by"], name="paperform_pending")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


declare_personal_fields(
    "patrons.Patron",
    register_entry=REGISTER_ENTRY_LIBRARY_USE,
    card_number=DataItem.CARD_NUMBER,
    family_name=DataItem.NAME,
    given_name=DataItem.NAME,
    family_name_kana=DataItem.KANA,
    given_name_kana=DataItem.KANA,
    birth_date=DataItem.BIRTH_DATE,
    gender=DataItem.GENDER,
    address=DataItem.ADDRESS,
    phone=DataItem.PHONE,
    email=DataItem.EMAIL,
    guardian_name=DataItem.GUARDIAN_NAME,
    category=DataItem.PATRON_CATEGORY,
    eligibility=DataItem.ELIGIBILITY,
    registered_branch=DataItem.REGISTERED_BRANCH,
    registered_on=DataItem.EXPIRY,
    expires_on=DataItem.EXPIRY,
    password=DataItem.PASSWORD,
    duplicate_key=DataItem.NAME,
)
declare_personal_fields(
    "patrons.IdentityCheck",
    register_entry=REGISTER_ENTRY_LIBRARY_USE,
    document_type=DataItem.IDENTITY_DOCUMENT_TYPE,
    document_issued_on=DataItem.IDENTITY_DOCUMENT_TYPE,
    patron=DataItem.CARD_NUMBER,
)
declare_personal_fields(
    "patrons.ProxyApplication", register_entry=REGISTER_ENTRY_LIBRARY_USE, patron=DataItem.CARD_NUMBER
)
declare_personal_fields(
    "patrons.PaperApplicationForm", register_entry=REGISTER_ENTRY_LIBRARY_USE, patron=DataItem.CARD_NUMBER
)
declare_not_personal("patrons.Branch", reason="館・受取窓口の名称（施設の名称）", fields=("name",))
declare_not_personal("patrons.PatronCategory", reason="利用者区分の名称（区分のマスタ）", fields=("name",))
