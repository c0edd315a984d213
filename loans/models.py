"""Items, loans, reservations, damage cases, notices and anonymous statistics (domain.md §2, §5; 市川市 方針 第3).

The privacy design, in the schema:

- ``Loan`` and ``Reservation`` are the only rows that tie a patron to an item. They have no history
  table and are hard-deleted the moment they end (return; lending, cancellation, expiry of a
  reservation) by the services in ``loans.services``. There is no "returned" or "finished" state.
- ``DamageCase`` (汚破損, 方針 第2(4)) keeps the link as its own record with its own purpose until
  it is settled, then is deleted.
- ``Notice`` keeps patron, kind, channel, date and the number of items — never an item or a title.
- Statistics are split so that no row can be joined back to a person: ``CirculationDailyStat`` counts
  per day, branch and patron category (no item); ``ItemCirculationStat`` counts per item (no date,
  no patron). A row per (day, item) next to an access-log event naming the patron at the same counter
  on the same day would re-identify a reader, so that combination is never stored.
- ``Item.last_returned_at`` is the fact the safety net works from: a loan older than its item's last
  return should no longer exist (e.g. an offline return batch from the mobile library was interrupted
  between stamping the items and deleting their loans).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from patrons.models import REGISTER_ENTRY_LIBRARY_USE, Branch, Patron, PatronCategory
from privacy_admin.core.dataitems import DataItem, declare_personal_fields


class Item(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("在架")
        ON_LOAN = "on_loan", _("貸出中")
        IN_TRANSIT = "in_transit", _("回送中")
        ON_HOLD = "on_hold", _("取置中")
        WITHDRAWN = "withdrawn", _("除籍")

    barcode = models.CharField(_("資料番号"), max_length=20, unique=True)
    title = models.CharField(_("書名"), max_length=200)
    author = models.CharField(_("著者"), max_length=100, blank=True)
    publisher = models.CharField(_("出版者"), max_length=100, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True)
    call_number = models.CharField(_("請求記号"), max_length=40, blank=True)
    home_branch = models.ForeignKey(
        Branch, verbose_name=_("所蔵館"), on_delete=models.PROTECT, related_name="items"
    )
    # Where the item physically is now (the pickup place while it is held, the return counter after).
    current_branch = models.ForeignKey(
        Branch, verbose_name=_("所在館"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.AVAILABLE)
    last_returned_at = models.DateTimeField(_("最終返却日時"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("資料")
        verbose_name_plural = _("資料")

    def __str__(self) -> str:
        return f"資料 #{self.pk}"


class Loan(models.Model):
    """Who has what, for as long as they have it. Deleted on return (方針 第3(2)); never tracked by history."""

    item = models.OneToOneField(Item, verbose_name=_("資料"), on_delete=models.PROTECT, related_name="loan")
    # PROTECT: a patron with something outstanding cannot be erased (patron_erase returns False).
    patron = models.ForeignKey(
        Patron, verbose_name=_("利用者"), on_delete=models.PROTECT, related_name="loans"
    )
    branch = models.ForeignKey(Branch, verbose_name=_("貸出館"), on_delete=models.PROTECT, related_name="+")
    lent_at = models.DateTimeField(_("貸出日時"))
    due_on = models.DateField(_("返却期限"))
    last_reminded_on = models.DateField(_("最終督促日"), null=True, blank=True)

    class Meta:
        verbose_name = _("貸出")
        verbose_name_plural = _("貸出")
        indexes = [models.Index(fields=["due_on"], name="loan_due_on")]

    def __str__(self) -> str:
        return f"貸出 #{self.pk}"


class Reservation(models.Model):
    """A hold on one item for one patron. Deleted when lent, cancelled or expired (方針 第3(3))."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("順番待ち")
        IN_TRANSIT = "in_transit", _("回送中")
        READY = "ready", _("取置中")

    item = models.ForeignKey(
        Item, verbose_name=_("資料"), on_delete=models.PROTECT, related_name="reservations"
    )
    patron = models.ForeignKey(
        Patron, verbose_name=_("利用者"), on_delete=models.PROTECT, related_name="reservations"
    )
    pickup_branch = models.ForeignKey(
        Branch, verbose_name=_("受取館"), on_delete=models.PROTECT, related_name="pickup_reservations"
    )
    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.WAITING)
    reserved_at = models.DateTimeField(_("予約登録日時"))
    ready_on = models.DateField(_("取置開始日"), null=True, blank=True)
    hold_until = models.DateField(_("取置期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("予約")
        verbose_name_plural = _("予約")
        constraints = [
            models.UniqueConstraint(fields=["item", "patron"], name="reservation_one_per_patron_item"),
            # One copy can be held for one patron at a time.
            models.UniqueConstraint(
                fields=["item"], condition=Q(status__in=["in_transit", "ready"]), name="reservation_one_held"
            ),
            models.CheckConstraint(
                condition=Q(status="waiting") | Q(status="in_transit") | Q(hold_until__isnull=False),
                name="reservation_ready_has_hold_until",
            ),
        ]
        indexes = [
            models.Index(fields=["item", "reserved_at"], name="reservation_queue"),
            models.Index(fields=["status", "hold_until"], name="reservation_hold"),
            models.Index(fields=["pickup_branch", "status"], name="reservation_pickup"),
        ]

    def __str__(self) -> str:
        return f"予約 #{self.pk}"


class DamageCase(models.Model):
    """汚破損 (方針 第2(4)): keeps the patron–item link for settling the damage, then is deleted."""

    class Status(models.TextChoices):
        OPEN = "open", _("対応中")

    item = models.ForeignKey(
        Item, verbose_name=_("資料"), on_delete=models.PROTECT, related_name="damage_cases"
    )
    patron = models.ForeignKey(
        Patron, verbose_name=_("利用者"), on_delete=models.PROTECT, related_name="damage_cases"
    )
    branch = models.ForeignKey(Branch, verbose_name=_("受付館"), on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField(_("発見日"))
    description = models.CharField(_("状況"), max_length=200)
    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("汚破損案件")
        verbose_name_plural = _("汚破損案件")

    def __str__(self) -> str:
        return f"汚破損 #{self.pk}"


class Notice(models.Model):
    """A reservation-ready or overdue notice. Keeps patron, channel, date and item count — never titles."""

    class Kind(models.TextChoices):
        RESERVATION_READY = "reservation_ready", _("予約資料の用意")
        OVERDUE = "overdue", _("返却督促")

    class Channel(models.TextChoices):
        EMAIL = "email", _("電子メール（本人）")
        GUARDIAN_EMAIL = "guardian_email", _("電子メール（保護者）")
        POSTCARD = "postcard", _("はがき")
        PHONE = "phone", _("電話")

    class Status(models.TextChoices):
        QUEUED = "queued", _("送信待ち")
        SENT = "sent", _("送信済み")
        PRINTED = "printed", _("印刷済み")
        CALLED = "called", _("連絡済み")
        FAILED = "failed", _("送信失敗")

    # SET_NULL would leave a count without a person; CASCADE removes notices with the patron.
    patron = models.ForeignKey(
        Patron, verbose_name=_("利用者"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("種類"), max_length=24, choices=Kind.choices)
    channel = models.CharField(_("方法"), max_length=16, choices=Channel.choices)
    created_on = models.DateField(_("作成日"))
    item_count = models.PositiveSmallIntegerField(_("点数"))
    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)
    branch = models.ForeignKey(
        Branch, verbose_name=_("担当館"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["channel", "status"], name="notice_channel_status")]

    def __str__(self) -> str:
        return f"通知 #{self.pk}"


class CirculationAction(models.TextChoices):
    LEND = "lend", _("貸出")
    RETURN = "return", _("返却")
    RESERVE = "reserve", _("予約")
    RESERVATION_LENT = "reservation_lent", _("予約資料の貸出")
    RESERVATION_CANCELLED = "reservation_cancelled", _("予約取消")
    RESERVATION_EXPIRED = "reservation_expired", _("取置期限切れ")


class CirculationDailyStat(models.Model):
    """Anonymous counts per day, branch, patron category and action (方針 第3: statistics without the patron)."""

    day = models.DateField(_("日付"))
    branch = models.ForeignKey(Branch, verbose_name=_("館"), on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        PatronCategory, verbose_name=_("利用者区分"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("処理"), max_length=24, choices=CirculationAction.choices)
    count = models.PositiveIntegerField(_("件数"), default=0)

    class Meta:
        verbose_name = _("貸出統計（日別）")
        verbose_name_plural = _("貸出統計（日別）")
        constraints = [
            models.UniqueConstraint(fields=["day", "branch", "category", "action"], name="daily_stat_key")
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class ItemCirculationStat(models.Model):
    """Lifetime counts per item — no date and no patron, so it cannot be matched to a counter event."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="stat", primary_key=True)
    loans = models.PositiveIntegerField(_("貸出回数"), default=0)
    reservations = models.PositiveIntegerField(_("予約回数"), default=0)

    class Meta:
        verbose_name = _("資料別貸出統計")
        verbose_name_plural = _("資料別貸出統計")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class SafetyNetRun(models.Model):
    """One run of the safety net (counts only). The dashboard warns when the last run is too old, and
    when a run never finished (``interrupted_at``: set by the next run)."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    interrupted_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    # Rows erased (or, dry, found) per erasure rule code (loans.erasure), updated by every batch in
    # its own transaction. Runs before the rules had codes per reservation kind keep "reservations".
    erased = models.JSONField(default=dict, blank=True)
    batches = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("安全網ジョブの実行")
        verbose_name_plural = _("安全網ジョブの実行")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    def _erased_of(self, model: type[models.Model]) -> int:
        from .erasure import BY_CODE  # the rules import these models

        return sum(
            int(n)
            for code, n in (self.erased or {}).items()
            if (BY_CODE[code].model is model if code in BY_CODE else model is Reservation)
        )

    @property
    def loans_erased(self) -> int:
        return self._erased_of(Loan)

    @property
    def reservations_erased(self) -> int:
        return self._erased_of(Reservation)


declare_personal_fields(
    "loans.Loan",
    register_entry=REGISTER_ENTRY_LIBRARY_USE,
    item=DataItem.LOAN_ITEM_NUMBER,
    patron=DataItem.CARD_NUMBER,
    due_on=DataItem.DUE_DATE,
    lent_at=DataItem.DUE_DATE,
)
declare_personal_fields(
    "loans.Reservation",
    register_entry=REGISTER_ENTRY_LIBRARY_USE,
    item=DataItem.RESERVATION_ITEM_NUMBER,
    patron=DataItem.CARD_NUMBER,
    pickup_branch=DataItem.PICKUP_BRANCH,
    reserved_at=DataItem.RESERVATION_DATE,
)
declare_personal_fields(
    "loans.DamageCase",
    register_entry=REGISTER_ENTRY_LIBRARY_USE,
    item=DataItem.LOAN_ITEM_NUMBER,
    patron=DataItem.CARD_NUMBER,
)
declare_personal_fields(
    "loans.Notice",
    register_entry=REGISTER_ENTRY_LIBRARY_USE,
    patron=DataItem.CARD_NUMBER,
)
