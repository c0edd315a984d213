"""Demo circulation: a collection, loans (some overdue), reservations in every state, damage cases.

Everything goes through the services, so the demo has the same rows, counts and access-log events as
a real counter — including the absence of any record of past loans. Called by ``manage.py seed_demo``
after the patrons exist. Idempotent: once the collection exists, a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from faker import Faker

from patrons.models import Branch, Patron, PatronStatus
from privacy_admin.audit.context import audit_context
from privacy_admin.core.actor import Actor

from . import services
from .models import DamageCase, Item, Loan, Reservation

ITEMS = 200
PAST_LOANS = 60
CURRENT_LOANS = 40
PER_RESERVATION_STATE = 15
DAMAGE_CASES = 2

# NDC class, the words its titles are made of.
_SUBJECTS: list[tuple[str, list[str], list[str]]] = [
    (
        "913.6",
        ["物語", "約束", "手紙", "季節", "記憶", "旅", "夜明け", "灯り"],
        ["小さな", "遠い", "静かな", "最後の", "はじめての"],
    ),
    (
        "291.3",
        ["散歩道", "街道", "里山", "港町", "川辺"],
        ["丹沢の", "相模川の", "大山の", "湘南の", "宮ヶ瀬の"],
    ),
    ("440", ["星空", "天体観測", "月", "惑星"], ["はじめての", "家族で楽しむ", "季節の", "図解"]),
    ("488", ["野鳥", "渡り鳥", "水辺の鳥"], ["身近な", "四季の", "公園で見つける"]),
    ("596", ["おかず", "常備菜", "お弁当", "和菓子"], ["毎日の", "かんたん", "季節の", "旬の"]),
    ("210", ["日本史", "戦国時代", "江戸の暮らし", "古代史"], ["よくわかる", "図説", "物語で読む"]),
    (
        "007",
        ["プログラミング", "データ分析", "情報セキュリティ", "AI"],
        ["はじめての", "実践", "やさしい", "これからの"],
    ),
    ("726", ["絵本", "まんが", "ぬりえ"], ["こどもの", "どうぶつの", "のりものの"]),
    ("336", ["仕事術", "時間管理", "会議"], ["明日から使える", "小さなチームの", "現場の"]),
    ("493", ["健康", "睡眠", "からだ"], ["ぐっすり眠る", "病気にならない", "毎日の"]),
]
_FORMS = [
    "{adj}{noun}",
    "{adj}{noun}",
    "{noun}の本",
    "{adj}{noun}入門",
    "{noun}と{noun2}",
    "{adj}{noun} 上",
    "{adj}{noun} 下",
]
_PUBLISHERS = [
    ("あさひ書房", "900"),
    ("相模出版", "901"),
    ("みなと社", "902"),
    ("星空社", "903"),
    ("こもれび書店", "904"),
    ("丹沢文庫", "905"),
]
_SHARE = {"central": 10, "kita": 5, "aikawa-kominkan": 2, "mori-kominkan": 2, "mobile": 1}


def _isbn13(publisher_code: str, n: int) -> str:
    body = f"9784{publisher_code}{n:05d}"[:12]
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _title(rnd: random.Random) -> tuple[str, str]:
    ndc, nouns, adjectives = rnd.choice(_SUBJECTS)
    noun, noun2 = rnd.sample(nouns, 2) if len(nouns) > 1 else (nouns[0], nouns[0])
    return rnd.choice(_FORMS).format(adj=rnd.choice(adjectives), noun=noun, noun2=noun2), ndc


def seed_circulation(*, stdout: TextIO | None = None) -> None:
    """Load demo circulation data once (see the module docstring)."""

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line + "\n")

    if Item.objects.exists():
        say(f"資料: {Item.objects.count()}点（既にあるため追加しません）")
        return
    branches = list(Branch.objects.filter(is_active=True).exclude(kind=Branch.Kind.PICKUP))
    today = services.today()
    patrons = list(
        Patron.objects.filter(
            status=PatronStatus.ACTIVE,
            expires_on__gt=today + dt.timedelta(days=30),
            registered_on__lte=today - dt.timedelta(days=31),
        ).order_by("pk")
    )
    if not branches or len(patrons) < 20:
        say(
            "資料: 館または利用者が足りないため、貸出のデモデータは作りません（先に seed_demo を実行してください）。"
        )
        return
    actor = get_user_model().objects.filter(username="counter").first()
    with audit_context(channel="command"):
        _Seeder(actor=actor, branches=branches, patrons=patrons, today=today, say=say).run()


class _Seeder:
    def __init__(
        self,
        *,
        actor: Actor,
        branches: list[Branch],
        patrons: list[Patron],
        today: dt.date,
        say: Callable[[str], None],
    ) -> None:
        self.actor = actor
        self.branches = branches
        self.patrons = patrons
        self.today = today
        self.say = say
        self.rnd = random.Random(2026)
        self.fake = Faker("ja_JP")
        self.fake.seed_instance(2026)
        self.pickups = list(Branch.objects.filter(is_active=True))

    def run(self) -> None:
        items = self._items()
        self._history(items)
        self._current_loans(items)
        self._reservations(items)
        self._damage(items)
        overdue = Loan.objects.filter(due_on__lt=self.today).count()
        counts = {s: Reservation.objects.filter(status=s).count() for s in Reservation.Status.values}
        self.say(
            f"資料: {Item.objects.count()}点 / 貸出中: {Loan.objects.count()}点（うち延滞 {overdue}点） / "
            f"予約: 順番待ち {counts['waiting']}・回送中 {counts['in_transit']}・取置中 {counts['ready']} / "
            f"汚破損案件: {DamageCase.objects.count()}件"
        )

    def _items(self) -> list[Item]:
        weighted = [b for b in self.branches for _n in range(_SHARE.get(b.code, 2))]
        items = []
        for n in range(ITEMS):
            title, ndc = _title(self.rnd)
            family, family_kana, _unused = self.fake.last_name_pair()
            publisher, code = self.rnd.choice(_PUBLISHERS)
            items.append(
                services.item_create(
                    actor=self.actor,
                    barcode=f"10{n + 1:08d}",
                    title=title,
                    branch_code=self.rnd.choice(weighted).code,
                    author=f"{family} {self.fake.first_name()}",
                    publisher=publisher,
                    isbn=_isbn13(code, n + 1),
                    call_number=f"{ndc}/{family_kana[:1]}",
                )
            )
        return items

    def _available(self, items: list[Item]) -> list[Item]:
        """Items on the shelf that nobody has reserved, freshly read, in the order of ``items``."""
        reserved = set(Reservation.objects.values_list("item_id", flat=True))
        fresh = {
            i.pk: i
            for i in Item.objects.filter(status=Item.Status.AVAILABLE).select_related("home_branch")
            if i.pk not in reserved
        }
        return [fresh[i.pk] for i in items if i.pk in fresh]

    def _try(self, service: Callable[..., Any], **kwargs: Any) -> Any:
        try:
            return service(actor=self.actor, **kwargs)
        except ValidationError:
            return None  # a random draw the rules refuse (a limit reached): draw again

    def _history(self, items: list[Item]) -> None:
        """Loans already returned: they leave only counts behind (方針 第3(2))."""
        available = self._available(items)
        for _n in range(PAST_LOANS):
            item = self.rnd.choice(available)
            patron = self.rnd.choice(self.patrons)
            lent_on = self.today - dt.timedelta(days=self.rnd.randint(15, 45))
            code = item.home_branch.code
            if self._try(
                services.loan_lend,
                card_number=patron.card_number,
                barcode=item.barcode,
                branch_code=code,
                on=lent_on,
            ):
                services.loan_return(
                    actor=self.actor,
                    barcode=item.barcode,
                    branch_code=code,
                    on=lent_on + dt.timedelta(days=self.rnd.randint(1, 14)),
                )

    def _current_loans(self, items: list[Item]) -> None:
        lent = 0
        available = self._available(items)
        self.rnd.shuffle(available)
        for item in available:
            if lent >= CURRENT_LOANS:
                break
            patron = self.rnd.choice(self.patrons)
            # About a quarter were lent more than LOANS_PERIOD_DAYS (14) ago: overdue.
            on = self.today - dt.timedelta(days=self.rnd.randint(0, 20))
            if self._try(
                services.loan_lend,
                card_number=patron.card_number,
                barcode=item.barcode,
                branch_code=item.home_branch.code,
                on=on,
            ):
                lent += 1

    def _reserve(self, patron: Patron, item: Item, pickup: Branch, on: dt.date) -> Reservation | None:
        return self._try(
            services.reservation_create,
            card_number=patron.card_number,
            barcode=item.barcode,
            pickup_branch_code=pickup.code,
            on=on,
        )

    def _reservations(self, items: list[Item]) -> None:
        on_loan = list(Loan.objects.select_related("item").order_by("pk"))
        made = 0
        for loan in on_loan:  # waiting: the item is out on loan
            if made >= PER_RESERVATION_STATE:
                break
            patron = self.rnd.choice([p for p in self.patrons if p.pk != loan.patron_id])
            on = self.today - dt.timedelta(days=self.rnd.randint(0, 10))
            if self._reserve(patron, loan.item, self.rnd.choice(self.pickups), on):
                made += 1
        available = self._available(items)
        self.rnd.shuffle(available)
        in_transit = 0
        ready = 0
        for item in available:
            if in_transit >= PER_RESERVATION_STATE and ready >= PER_RESERVATION_STATE:
                break
            patron = self.rnd.choice(self.patrons)
            home = item.home_branch
            elsewhere = [b for b in self.pickups if b.pk != home.pk]
            on = self.today - dt.timedelta(days=self.rnd.randint(0, 6))
            if in_transit < PER_RESERVATION_STATE:
                # Taken off the shelf at its home branch, on its way to the pickup place.
                if self._reserve(patron, item, self.rnd.choice(elsewhere), on):
                    services.reservation_capture(
                        actor=self.actor, barcode=item.barcode, branch_code=home.code, on=on
                    )
                    in_transit += 1
                continue
            pickup = home if ready % 3 else self.rnd.choice(elsewhere)
            if self._reserve(patron, item, pickup, on):
                services.reservation_capture(
                    actor=self.actor, barcode=item.barcode, branch_code=home.code, on=on
                )
                if pickup.pk != home.pk:
                    services.reservation_capture(
                        actor=self.actor, barcode=item.barcode, branch_code=pickup.code, on=on
                    )
                ready += 1

    def _damage(self, items: list[Item]) -> None:
        for item in self._available(items)[:DAMAGE_CASES]:
            patron = self.rnd.choice(self.patrons)
            on = self.today - dt.timedelta(days=5)
            code = item.home_branch.code
            if self._try(
                services.loan_lend,
                card_number=patron.card_number,
                barcode=item.barcode,
                branch_code=code,
                on=on,
            ):
                services.loan_return(
                    actor=self.actor,
                    barcode=item.barcode,
                    branch_code=code,
                    damaged=True,
                    damage_description=self.rnd.choice(
                        ["水濡れ（全体が波打っている）", "ページの破れ（p.45-48）"]
                    ),
                    on=self.today - dt.timedelta(days=1),
                )
