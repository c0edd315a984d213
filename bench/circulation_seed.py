"""Synthetic circulation data for bench.circulation, loaded with COPY through psycopg.

1,000,000 patrons (valid Luhn card numbers from ``patrons.rules.make_card_number``, a real
``duplicate_key``), 2,000,000 items, 300,000 active loans and 100,000 reservations (70,000 waiting
in the queues of items on loan, 30,000 ready on the hold shelf). Item ids are laid out in ranges
so that each part of the bench draws from its own pool:

- ``LOANED``: on loan when seeded (the returns come from loans like these);
- ``HELD``: on the hold shelf for a ready reservation;
- ``STALE_POOL``: available; the safety-net part stamps them returned and gives them stale loans;
- ``LEND_POOL``: available with no reservation (the lends, and the top-up after returns).

Never run against a real database: it writes a million invented people.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

N_PATRONS = int(os.environ.get("BENCH_PATRONS", "1000000"))
N_ITEMS = int(os.environ.get("BENCH_ITEMS", "2000000"))
N_LOANS = int(os.environ.get("BENCH_LOANS", "300000"))
N_WAITING = int(os.environ.get("BENCH_WAITING_RESERVATIONS", "70000"))
N_READY = int(os.environ.get("BENCH_READY_RESERVATIONS", "30000"))
N_STALE = int(os.environ.get("BENCH_STALE_LOANS", "1000000"))

LOANED = range(1, N_LOANS + 1)
HELD = range(N_LOANS + 1, N_LOANS + N_READY + 1)
STALE_POOL = range(HELD.stop, HELD.stop + N_STALE)
LEND_POOL = range(STALE_POOL.stop, N_ITEMS + 1)

LOANS_PER_PATRON = 3  # the seeded loans belong to N_LOANS / 3 patrons, three items each
LOAN_DAYS = 14

FAMILY = [
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
    ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"),
    ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"), ("斎藤", "サイトウ"), ("清水", "シミズ"),
    ("山崎", "ヤマザキ"), ("森", "モリ"), ("池田", "イケダ"), ("橋本", "ハシモト"), ("阿部", "アベ"),
    ("石川", "イシカワ"), ("山下", "ヤマシタ"), ("中島", "ナカジマ"), ("石井", "イシイ"), ("小川", "オガワ"),
]  # fmt: skip
GIVEN = [
    ("翔太", "ショウタ"), ("陽菜", "ヒナ"), ("大翔", "ヒロト"), ("結衣", "ユイ"), ("蓮", "レン"),
    ("美咲", "ミサキ"), ("悠真", "ユウマ"), ("葵", "アオイ"), ("湊", "ミナト"), ("さくら", "サクラ"),
    ("健一", "ケンイチ"), ("恵子", "ケイコ"), ("誠", "マコト"), ("由美", "ユミ"), ("博", "ヒロシ"),
    ("和子", "カズコ"), ("隆", "タカシ"), ("幸子", "サチコ"), ("直樹", "ナオキ"), ("真由美", "マユミ"),
    ("拓海", "タクミ"), ("七海", "ナナミ"), ("颯太", "ソウタ"), ("凛", "リン"), ("大輔", "ダイスケ"),
]  # fmt: skip
TOWNS = ["中町", "旭町", "本町", "緑が丘", "桜台", "松枝", "泉町", "栄町", "寿町", "森の里"]
MUNICIPALITIES = ["あさひ市"] * 6 + ["厚木市", "海老名市", "座間市", "大和市"]
TITLE_A = [
    "夜明けの",
    "遠い",
    "小さな",
    "静かな",
    "はじめての",
    "消えた",
    "青い",
    "最後の",
    "風の",
    "ひとりの",
]
TITLE_B = ["図書館", "旅人", "約束", "記憶", "数学", "料理帖", "宇宙", "庭", "手紙", "歴史", "駅", "季節"]
TITLE_C = ["", "物語", "入門", "のひみつ", "事典", "ノート", "紀行", "の研究"]
PUBLISHERS = ["あさひ書房", "緑陰社", "青葉出版", "北斗館", "潮文庫", "朝霧書店"]
NDC = ["913.6", "210.1", "410", "596", "007.3", "933.7", "289.1", "369.2", "726.1", "816"]

PATRON_COLUMNS = (
    "id, public_id, card_number, family_name, given_name, family_name_kana, given_name_kana, birth_date, "
    "gender, address, phone, email, guardian_name, category_id, eligibility, registered_branch_id, "
    "registered_on, expires_on, status, cancelled_on, cancellation_reason, password, duplicate_key, "
    "created_at, updated_at"
)
ITEM_COLUMNS = (
    "id, barcode, title, author, publisher, isbn, call_number, home_branch_id, current_branch_id, status, "
    "last_returned_at, created_at"
)


def barcode_of(item_id: int) -> str:
    return f"1{item_id:09d}"


def _isbn13(n: int) -> str:
    body = f"9784{n % 100_000_000:08d}"
    total = sum(int(c) * (3 if k % 2 else 1) for k, c in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _null(value: object) -> str:
    return r"\N" if value is None else str(value)


def _copy(cursor: Any, table: str, columns: str, rows: Iterator[str], chunk: int = 20000) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # trusted, fixed names
        buffer: list[str] = []
        for line in rows:
            buffer.append(line)
            if len(buffer) >= chunk:
                copy.write("".join(buffer))
                buffer.clear()
        if buffer:
            copy.write("".join(buffer))


def _reset_sequence(cursor: Any, table: str) -> None:
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 1))"  # noqa: S608 - fixed names
    )


class Master:
    """Branches, categories and the counter-staff user the bench acts as."""

    def __init__(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from patrons.models import Branch, PatronCategory
        from privacy_admin.accounts.models import StaffProfile
        from privacy_admin.core.roles import Role
        from privacy_admin.management.commands.seed_demo import BRANCHES, CATEGORIES

        for order, (code, name, kind, registration) in enumerate(BRANCHES):
            Branch.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "kind": kind,
                    "accepts_registration": registration,
                    "sort_order": order,
                },
            )
        for order, (code, name, is_child, is_group) in enumerate(CATEGORIES):
            PatronCategory.objects.update_or_create(
                code=code,
                defaults={"name": name, "is_child": is_child, "is_group": is_group, "sort_order": order},
            )
        self.branches = {b.code: b.pk for b in Branch.objects.all()}
        self.branch_kinds = {b.code: b.kind for b in Branch.objects.all()}
        self.categories = {c.code: c.pk for c in PatronCategory.objects.all()}
        user, _ = get_user_model().objects.get_or_create(
            username="bench-counter", defaults={"email": "bench-counter@library.example.jp"}
        )
        user.groups.set([Group.objects.get_or_create(name=Role.COUNTER.value)[0]])
        StaffProfile.objects.update_or_create(user=user, defaults={"branch_id": self.branches["central"]})
        self.counter = get_user_model().objects.get(pk=user.pk)
        # Lending and return counters: every branch but the pickup counter; holds go to any branch.
        self.lending_branches = [
            pk for code, pk in self.branches.items() if self.branch_kinds[code] != "pickup"
        ]
        self.pickup_branches = list(self.branches.values())


def seeded() -> bool:
    from loans.models import Item
    from patrons.models import Patron

    return (
        Patron.objects.filter(pk=N_PATRONS).exists()
        and Item.objects.filter(pk=N_ITEMS).exists()
        and Item.objects.filter(pk=HELD.stop - 1, status="on_hold").exists()
    )


def seed(master: Master, *, log: Callable[[str], None] = print) -> float:
    """COPY everything into empty tables; returns the seconds it took (0 when already seeded)."""
    from django.db import connection

    from patrons import names
    from patrons.rules import make_card_number

    if seeded():
        log(f"   already seeded ({N_PATRONS:,} patrons, {N_ITEMS:,} items)")
        return 0.0
    started = time.monotonic()
    now = dt.datetime.now(dt.UTC)
    today = now.date()
    stamp = now.isoformat()
    cats = master.categories
    reg_branches = [master.branches[c] for c in master.branches if master.branch_kinds[c] != "pickup"]
    lend = master.lending_branches
    pickup = master.pickup_branches

    def patrons() -> Iterator[str]:
        for i in range(1, N_PATRONS + 1):
            family, family_kana = FAMILY[(i * 7) % len(FAMILY)]
            given, given_kana = GIVEN[(i * 13) % len(GIVEN)]
            share = i % 100
            if share < 12:
                category, year = cats["child"], today.year - 4 - i % 11
            elif share == 12:
                category, year = cats["group"], 1960
            elif share < 15:
                category, year = cats["accessibility"], 1940 + i % 50
            else:
                category, year = cats["general"], 1935 + i % 70
            born = dt.date(year, 1 + (i // 7) % 12, 1 + (i // 3) % 28)
            address = (
                f"{MUNICIPALITIES[i % len(MUNICIPALITIES)]}{TOWNS[(i // 7) % len(TOWNS)]}"
                f"{i // 10000 + 1}丁目{(i // 100) % 100 + 1}番{i % 100 + 1}号"
            )
            registered = today - dt.timedelta(days=i % 1000)
            expires = registered.replace(year=registered.year + 3, day=min(registered.day, 28))
            email = f"reader{i}@mail.example.jp" if i % 5 < 3 else ""
            phone = f"046-{200 + i % 800:03d}-{i % 10000:04d}" if i % 10 else ""
            guardian = f"{family} {GIVEN[(i * 17) % len(GIVEN)][0]}" if category == cats["child"] else ""
            key = names.duplicate_key(family_name=family, given_name=given, birth_date=born, address=address)
            yield (
                f"{i}\t{uuid.UUID(bytes=os.urandom(16), version=4)}\t{make_card_number(i)}\t{family}\t{given}\t"
                f"{family_kana}\t{given_kana}\t{born}\t{('', 'female', 'male')[i % 3]}\t{address}\t{phone}\t"
                f"{email}\t{guardian}\t{category}\tresidence\t{reg_branches[i % len(reg_branches)]}\t"
                f"{registered}\t{expires}\tactive\t\\N\t\t\t{key}\t{stamp}\t{stamp}\n"
            )

    def items() -> Iterator[str]:
        for i in range(1, N_ITEMS + 1):
            title = f"{TITLE_A[i % 10]}{TITLE_B[(i // 10) % 12]}{TITLE_C[(i // 120) % 8]} 第{i % 97 + 1}巻"
            author = f"{FAMILY[(i * 3) % len(FAMILY)][0]} {GIVEN[(i * 11) % len(GIVEN)][0]}"
            home = lend[i % len(lend)]
            current: int | None = home
            if i in LOANED:
                status, current = "on_loan", None
            elif i in HELD:
                status, current = "on_hold", pickup[i % len(pickup)]
            else:
                status = "available"
            yield (
                f"{i}\t{barcode_of(i)}\t{title}\t{author}\t{PUBLISHERS[i % 6]}\t{_isbn13(i * 7919)}\t"
                f"{NDC[i % 10]}/{FAMILY[i % len(FAMILY)][1][0]}\t{home}\t{_null(current)}\t{status}\t\\N\t{stamp}\n"
            )

    def loans() -> Iterator[str]:
        # Loan ids differ from item ids, so that the floor can tell them apart in a captured return.
        for i in LOANED:
            lent = now - dt.timedelta(days=i % 21, seconds=i % 36000)
            yield (
                f"{N_ITEMS + i}\t{i}\t{loan_patron(i)}\t{lend[i % len(lend)]}\t{lent.isoformat()}\t"
                f"{(lent + dt.timedelta(days=LOAN_DAYS)).date()}\t\\N\n"
            )

    def reservations() -> Iterator[str]:
        rid = 0
        # Waiting: one in the queue of each of the first items on loan, a second behind some of them.
        queues = min(50000, N_LOANS)
        for k in range(N_WAITING):
            rid += 1
            item = LOANED[k % queues]
            reserved = now - dt.timedelta(days=3 + k % 40, seconds=k % 7200)
            patron = (item * 104729 + (k // queues) * 7 + 1) % N_PATRONS + 1
            yield (
                f"{rid}\t{item}\t{patron}\t{pickup[k % len(pickup)]}\twaiting\t{reserved.isoformat()}\t\\N\t\\N\n"
            )
        # Ready: one per held item, on the pickup branch's shelf until hold_until.
        for k, item in enumerate(HELD):
            rid += 1
            ready_on = today - dt.timedelta(days=k % 5)
            reserved = now - dt.timedelta(days=10 + k % 30)
            patron = (item * 15485863 + 3) % N_PATRONS + 1
            yield (
                f"{rid}\t{item}\t{patron}\t{pickup[item % len(pickup)]}\tready\t{reserved.isoformat()}\t"
                f"{ready_on}\t{ready_on + dt.timedelta(days=7)}\n"
            )

    connection.ensure_connection()
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg cursor: COPY needs it
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("TRUNCATE loans_loan, loans_reservation, loans_damagecase, loans_itemcirculationstat")
        cursor.execute("TRUNCATE loans_item, patrons_patron CASCADE")
        for label, table, columns, rows in [
            ("patrons", "patrons_patron", PATRON_COLUMNS, patrons()),
            ("items", "loans_item", ITEM_COLUMNS, items()),
            (
                "loans",
                "loans_loan",
                "id, item_id, patron_id, branch_id, lent_at, due_on, last_reminded_on",
                loans(),
            ),
            (
                "reservations",
                "loans_reservation",
                "id, item_id, patron_id, pickup_branch_id, status, reserved_at, ready_on, hold_until",
                reservations(),
            ),
        ]:
            part = time.monotonic()
            _copy(cursor, table, columns, rows)
            _reset_sequence(cursor, table)
            log(f"   COPY {label}: {time.monotonic() - part:.0f} s")
        part = time.monotonic()
        for table in ("patrons_patron", "loans_item", "loans_loan", "loans_reservation"):
            cursor.execute(f"ANALYZE {table}")
        log(f"   ANALYZE: {time.monotonic() - part:.0f} s")
    return time.monotonic() - started


def loan_patron(item_id: int) -> int:
    """The patron of a seeded loan: N_LOANS / 3 patrons with three loans each, spread over all ids."""
    return ((item_id - 1) // LOANS_PER_PATRON * 7919) % N_PATRONS + 1
