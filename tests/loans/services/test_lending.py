"""loans.services.lending: lending and returns — the loan erased with its return, the item sent where it is
wanted, the anonymous statistics, and a patron kept while a loan is outstanding; concurrency on PostgreSQL.

Each refusal is checked to change nothing; each operation to leave one access-log event that names
the patron or the item, never both (方針 第3(2)(3); architecture "the privacy invariant").
"""

from __future__ import annotations

import datetime as dt
import functools
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loans import services
from loans.models import (
    CirculationDailyStat,
    DamageCase,
    Item,
    ItemCirculationStat,
    Loan,
    Notice,
    Reservation,
)
from patrons import services as patron_services
from patrons.models import Patron
from privacy_admin.audit.models import AuditEvent
from tests.factories import make_patron
from tests.loans.factories import make_item
from tests.loans.services.helpers import (
    TODAY,
    assert_never_both,
    circulation_events,
    give_back,
    lend,
    reserve,
    snapshot,
    unchanged_by,
)

pytestmark = pytest.mark.django_db


# --- lending --------------------------------------------------------------------------------------


def test_lend_creates_loan_due_after_loan_period(staff, patron, item, settings) -> None:
    settings.LOANS_PERIOD_DAYS = 14
    loan = lend(staff, patron, item)
    assert (loan.patron, loan.item, loan.branch.code) == (patron, item, "central")
    assert loan.due_on == dt.date(2026, 12, 5)
    assert loan.lent_at.date() == TODAY
    item.refresh_from_db()
    assert item.status == Item.Status.ON_LOAN


def test_lend_event_names_patron_and_not_item(staff, patron, item) -> None:
    lend(staff, patron, item)
    (event,) = circulation_events()
    assert event.action == "circulation.lend"
    assert (event.target_type, event.target_id, event.patron_id) == ("patron", str(patron.pk), patron.pk)
    assert event.branch_code == "central"
    assert event.detail == {}
    assert_never_both()


def test_lend_counts_anonymous_statistics(staff, patron, item) -> None:
    lend(staff, patron, item)
    stat = CirculationDailyStat.objects.get()
    assert (stat.day, stat.branch.code, stat.category_id, stat.action, stat.count) == (
        TODAY,
        "central",
        patron.category_id,
        "lend",
        1,
    )
    # 貸出回数 is added when the loan ends (an item transaction), not beside the patron's event.
    assert not ItemCirculationStat.objects.filter(item=item).exists()
    give_back(staff, item)
    assert ItemCirculationStat.objects.get(item=item).loans == 1
    assert not any(f.name == "patron" for f in CirculationDailyStat._meta.get_fields())


def test_lend_accepts_full_width_card_and_barcode(staff, patron, item) -> None:
    width = str.maketrans("0123456789", "０１２３４５６７８９")
    services.loan_lend(
        actor=staff,
        card_number=patron.card_number.translate(width),
        barcode=f" {item.barcode.translate(width)} ",
        branch_code="central",
        on=TODAY,
    )
    assert Loan.objects.filter(patron=patron, item=item).exists()


def test_lend_refuses_unknown_card_and_changes_nothing(staff, item) -> None:
    messages = unchanged_by(
        lambda: services.loan_lend(
            actor=staff, card_number="2199999999", barcode=item.barcode, branch_code="central"
        )
    )
    assert messages == {"card_number": ["利用者番号が見つかりません。番号を確かめてください。"]}


def test_lend_reports_unknown_card_and_unknown_item_at_once(staff, central) -> None:
    messages = unchanged_by(
        lambda: services.loan_lend(
            actor=staff, card_number="2199999999", barcode="NOPE-1", branch_code="central"
        )
    )
    assert set(messages) == {"card_number", "barcode"}


def test_lend_refuses_expired_card(staff, patron, item) -> None:
    patron.expires_on = TODAY - dt.timedelta(days=1)
    patron.save()
    messages = unchanged_by(lambda: lend(staff, patron, item))
    assert "有効期限が切れています" in messages["card_number"][0]


def test_lend_on_the_expiry_day_is_allowed(staff, patron, item) -> None:
    patron.expires_on = TODAY
    patron.save()
    assert lend(staff, patron, item).due_on > TODAY


def test_lend_refuses_cancelled_card(staff, patron, item) -> None:
    patron_services.patron_cancel(actor=staff, patron=patron, reason="moved", on=TODAY)
    messages = unchanged_by(lambda: lend(staff, patron, item))
    assert "取り消されています" in messages["card_number"][0]


def test_lend_refuses_unknown_barcode(staff, patron, central) -> None:
    messages = unchanged_by(
        lambda: services.loan_lend(
            actor=staff, card_number=patron.card_number, barcode="9999999999", branch_code="central"
        )
    )
    assert messages == {"barcode": ["資料番号が見つかりません。番号を確かめてください。"]}


def test_lend_refuses_withdrawn_item(staff, patron, central) -> None:
    withdrawn = make_item(home_branch=central, status=Item.Status.WITHDRAWN)
    messages = unchanged_by(lambda: lend(staff, patron, withdrawn))
    assert messages == {"barcode": ["除籍済みの資料です。"]}


def test_lend_refuses_unknown_branch(staff, patron, item) -> None:
    messages = unchanged_by(lambda: lend(staff, patron, item, branch="nowhere"))
    assert messages == {"branch": ["貸出館を一覧から選んでください。"]}


def test_lend_refuses_item_already_on_loan_as_conflict(staff, patron, other, item) -> None:
    lend(staff, patron, item)
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        lend(staff, other, item)
    assert services.is_conflict(info.value)
    assert info.value.message_dict == {"barcode": ["この資料は貸出中です。先に返却処理をしてください。"]}
    assert snapshot() == before


def test_lend_refuses_copy_held_for_another_patron(staff, patron, other, central) -> None:
    item = make_item(home_branch=central)
    reserve(staff, other, item)
    services.reservation_capture(actor=staff, barcode=item.barcode, branch_code="central", on=TODAY)
    messages = unchanged_by(lambda: lend(staff, patron, item))
    assert "ほかの利用者の予約のために取り置かれています" in messages["barcode"][0]


def test_lend_refuses_item_others_are_waiting_for(staff, patron, other, item) -> None:
    reserve(staff, other, item)
    messages = unchanged_by(lambda: lend(staff, patron, item))
    assert "予約待ちの利用者がいます" in messages["barcode"][0]


def test_lend_to_the_first_in_line_erases_their_reservation(staff, patron, other, item) -> None:
    reserve(staff, patron, item, on=TODAY - dt.timedelta(days=3))
    reserve(staff, other, item)
    lend(staff, patron, item)
    assert list(Reservation.objects.values_list("patron_id", flat=True)) == [other.pk]


def test_lend_refuses_a_patron_behind_someone_else_in_line(staff, patron, other, item) -> None:
    reserve(staff, other, item, on=TODAY - dt.timedelta(days=3))
    reserve(staff, patron, item)
    messages = unchanged_by(lambda: lend(staff, patron, item))
    assert "予約待ち" in messages["barcode"][0]


def test_lend_of_own_ready_reservation_hands_it_over_and_erases_it(staff, patron, item) -> None:
    reserve(staff, patron, item)
    services.reservation_capture(actor=staff, barcode=item.barcode, branch_code="central", on=TODAY)
    lend(staff, patron, item)
    assert not Reservation.objects.exists()
    actions = dict(CirculationDailyStat.objects.values_list("action", "count"))
    assert actions["lend"] == 1 and actions["reservation_lent"] == 1


def test_lend_refuses_beyond_the_loan_limit(staff, patron, central, settings) -> None:
    settings.LOANS_MAX_PER_PATRON = 2
    for _n in range(2):
        lend(staff, patron, make_item(home_branch=central))
    third_item = make_item(home_branch=central)
    messages = unchanged_by(lambda: lend(staff, patron, third_item))
    assert messages == {"card_number": ["貸出できる点数（2点）に達しています。返却後に貸し出してください。"]}


def test_refusal_messages_never_repeat_card_number_or_barcode(staff, patron, other, item) -> None:
    lend(staff, patron, item)
    with pytest.raises(ValidationError) as info:
        lend(staff, other, item)
    text = str(info.value)
    assert patron.card_number not in text and other.card_number not in text
    assert item.barcode not in text and item.title not in text


# --- returns --------------------------------------------------------------------------------------


def test_return_erases_patron_link(staff, patron, item) -> None:
    lend(staff, patron, item)
    result = give_back(staff, item)
    assert not Loan.objects.exists()
    assert not Reservation.objects.exists()
    assert not DamageCase.objects.exists()
    assert result.route == services.Route.SHELF
    # Nothing left that names this patron together with this item.
    for event in AuditEvent.objects.all():
        assert not (
            event.patron_id == patron.pk
            and str(item.pk) in (event.target_id if event.target_type == "item" else "")
        )
    assert_never_both()


def test_return_stamps_item_and_puts_it_back_on_the_shelf(staff, patron, item) -> None:
    lend(staff, patron, item)
    result = give_back(staff, item)
    item.refresh_from_db()
    assert item.status == Item.Status.AVAILABLE
    assert item.current_branch.code == "central"
    assert item.last_returned_at is not None
    assert result.instruction == "棚へ"
    assert (result.overdue_days, result.damage_case) == (0, False)


def test_return_event_names_item_only(staff, patron, item) -> None:
    lend(staff, patron, item)
    give_back(staff, item)
    event = AuditEvent.objects.get(action="circulation.return")
    assert (event.target_type, event.target_id, event.patron_id) == ("item", str(item.pk), None)
    assert event.detail == {"route": "shelf"}
    assert_never_both()


def test_return_at_another_branch_sends_the_item_home(staff, patron, item, kita) -> None:
    lend(staff, patron, item)
    result = give_back(staff, item, branch="kita")
    item.refresh_from_db()
    assert (item.status, item.current_branch) == (Item.Status.IN_TRANSIT, kita)
    assert result.route == services.Route.TRANSIT
    assert result.instruction == "中央図書館へ回送"


def test_return_makes_waiting_reservation_ready_here_and_queues_notice(
    staff, patron, other, item, settings, django_capture_on_commit_callbacks
) -> None:
    settings.LOANS_HOLD_DAYS = 7
    lend(staff, patron, item)
    reserve(staff, other, item)
    with django_capture_on_commit_callbacks(execute=True):
        result = give_back(staff, item)
    reservation = Reservation.objects.get()
    assert reservation.status == Reservation.Status.READY
    assert (reservation.ready_on, reservation.hold_until) == (TODAY, dt.date(2026, 11, 28))
    item.refresh_from_db()
    assert item.status == Item.Status.ON_HOLD
    assert (result.route, result.instruction) == (services.Route.HOLD_SHELF, "取置棚へ")
    notice = Notice.objects.get()
    assert (notice.patron, notice.kind, notice.item_count, getattr(notice.branch, "code", None)) == (
        other,
        Notice.Kind.RESERVATION_READY,
        1,
        "central",
    )


def test_ready_notice_is_written_after_the_item_transaction_commits(
    staff, patron, other, item, django_capture_on_commit_callbacks
) -> None:
    """A Notice row written inside the return would carry the return's transaction id next to the
    item's rows (and lock the patron row with it): it is written in a transaction of its own."""
    lend(staff, patron, item)
    reserve(staff, other, item)
    with django_capture_on_commit_callbacks() as callbacks:
        give_back(staff, item)
    assert not Notice.objects.exists()
    notice_writes = [c for c in callbacks if not isinstance(c, functools.partial)]  # not the ledger's
    assert len(notice_writes) == 1
    notice_writes[0]()
    assert Notice.objects.get().patron == other


def test_ready_notice_counts_the_patrons_ready_items_at_that_place(
    staff, patron, other, central, django_capture_on_commit_callbacks
) -> None:
    first, second = make_item(home_branch=central), make_item(home_branch=central)
    for item in (first, second):
        reserve(staff, other, item)
        with django_capture_on_commit_callbacks(execute=True):
            services.reservation_capture(actor=staff, barcode=item.barcode, branch_code="central", on=TODAY)
    assert list(Notice.objects.order_by("pk").values_list("item_count", flat=True)) == [1, 2]


def test_return_sends_item_to_the_pickup_place_of_a_reservation_elsewhere(
    staff, patron, other, item, pickup_counter
) -> None:
    lend(staff, patron, item)
    reserve(staff, other, item, pickup="pickup-east")
    result = give_back(staff, item)
    reservation = Reservation.objects.get()
    assert reservation.status == Reservation.Status.IN_TRANSIT
    assert reservation.hold_until is None
    item.refresh_from_db()
    assert item.status == Item.Status.IN_TRANSIT
    assert result.instruction == "東口受取窓口へ回送"
    assert not Notice.objects.exists()


def test_return_serves_the_oldest_reservation_first(staff, patron, other, third, item) -> None:
    lend(staff, patron, item)
    reserve(staff, third, item, on=TODAY - dt.timedelta(days=1))
    reserve(staff, other, item, on=TODAY - dt.timedelta(days=5))
    give_back(staff, item)
    assert Reservation.objects.get(status=Reservation.Status.READY).patron == other
    assert Reservation.objects.get(status=Reservation.Status.WAITING).patron == third


def test_return_of_item_not_on_loan_is_refused_and_changes_nothing(staff, item) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        give_back(staff, item)
    assert services.is_conflict(info.value)
    assert "貸出中ではありません" in info.value.message_dict["barcode"][0]
    assert snapshot() == before


def test_return_reports_days_overdue(staff, patron, item, settings) -> None:
    settings.LOANS_PERIOD_DAYS = 14
    lend(staff, patron, item, on=TODAY - dt.timedelta(days=20))
    assert give_back(staff, item).overdue_days == 6


def test_damaged_return_opens_a_damage_case_and_erases_the_loan(staff, patron, item) -> None:
    lend(staff, patron, item)
    result = give_back(staff, item, damaged=True, damage_description="水濡れ（表紙）")
    assert result.damage_case is True
    assert not Loan.objects.exists()
    case = DamageCase.objects.get()
    assert (case.patron, case.item, case.branch.code, case.reported_on) == (patron, item, "central", TODAY)
    assert case.description == "水濡れ（表紙）"
    report = AuditEvent.objects.get(action="circulation.damage_report")
    assert (report.target_type, report.patron_id) == ("item", None)
    assert_never_both()


def test_damaged_return_needs_a_description(staff, patron, item) -> None:
    lend(staff, patron, item)
    messages = unchanged_by(lambda: give_back(staff, item, damaged=True, damage_description="  "))
    assert messages == {"damage_description": ["汚破損の状況を入力してください。"]}


def test_returns_add_to_one_daily_row(staff, patron, other, central) -> None:
    items = [make_item(home_branch=central) for _n in range(3)]
    for borrower, item in zip([patron, other, patron], items, strict=True):
        lend(staff, borrower, item)
    for item in items:
        give_back(staff, item)
    assert CirculationDailyStat.objects.get(action="return").count == 3
    assert CirculationDailyStat.objects.get(action="lend").count == 3


def test_statistics_are_one_upsert_statement(staff, patron, item) -> None:
    lend(staff, patron, item)
    with CaptureQueriesContext(connection) as queries:
        give_back(staff, item)
    upserts = [q["sql"] for q in queries.captured_queries if "loans_circulationdailystat" in q["sql"]]
    assert len(upserts) == 1
    # On PostgreSQL the upsert rides on the loan's DELETE (one statement, one round trip).
    assert 'INSERT INTO "loans_circulationdailystat"' in upserts[0] and "ON CONFLICT" in upserts[0]


def test_return_runs_in_few_queries(staff, patron, item, django_assert_max_num_queries) -> None:
    lend(staff, patron, item)
    # PostgreSQL: lock-and-read, delete the loan with its count, update the item with its count, the
    # access-log event (3 with its savepoint), and the savepoint that stands for the transaction inside
    # a test (2). Other databases: the counts are statements of their own.
    with django_assert_max_num_queries(8 if connection.vendor == "postgresql" else 10):
        give_back(staff, item)


def test_return_result_item_is_the_whole_saved_item(staff, patron, item) -> None:
    lend(staff, patron, item)
    returned = give_back(staff, item).item
    fresh = Item.objects.get(pk=item.pk)
    for field in Item._meta.concrete_fields:
        assert getattr(returned, field.attname) == getattr(fresh, field.attname), field.name
    assert returned.created_at.tzinfo is not None and returned.last_returned_at.tzinfo is not None


def test_return_result_says_where_but_never_who(staff, patron, other, item) -> None:
    lend(staff, patron, item)
    reserve(staff, other, item)
    result = give_back(staff, item)
    assert set(vars(result)) == {"item", "route", "destination", "overdue_days", "damage_case"}


# --- patrons with something outstanding -----------------------------------------------------------


def test_a_patron_with_a_loan_cannot_be_erased(staff, patron, item) -> None:
    lend(staff, patron, item)
    patron_services.patron_cancel(actor=staff, patron=patron, reason="moved", on=TODAY)
    assert patron_services.patron_erase(actor=None, patron=patron, reason="cancelled") is False
    assert Patron.objects.filter(pk=patron.pk).exists()
    assert Loan.objects.filter(patron=patron).exists()


def test_a_cancelled_patron_is_erased_once_the_item_is_back(staff, patron, item) -> None:
    lend(staff, patron, item)
    patron_services.patron_cancel(actor=staff, patron=patron, reason="moved", on=TODAY)
    assert patron_services.patrons_purge_cancelled() == 0
    give_back(staff, item)
    assert patron_services.patrons_purge_cancelled() == 1
    assert not Patron.objects.filter(pk=patron.pk).exists()


def test_an_expired_registration_with_a_loan_is_not_purged(staff, patron, item, settings) -> None:
    lend(staff, patron, item)
    Patron.objects.filter(pk=patron.pk).update(expires_on=dt.date(2020, 1, 1))
    assert patron_services.patrons_purge_expired(on=TODAY) == 0
    assert Patron.objects.filter(pk=patron.pk).exists()
    give_back(staff, item)
    assert patron_services.patrons_purge_expired(on=TODAY) == 1


def test_a_patron_with_an_open_damage_case_cannot_be_erased(staff, patron, item) -> None:
    lend(staff, patron, item)
    give_back(staff, item, damaged=True, damage_description="落書き")
    assert patron_services.patron_erase(actor=None, patron=patron, reason="cancelled") is False


# --- concurrency (PostgreSQL) ---------------------------------------------------------------------


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_returns_lose_no_count(counter_staff, central, general_category) -> None:
    n = 12
    items = [make_item(home_branch=central) for _i in range(n)]
    patrons = [make_patron(registered_branch=central, category=general_category) for _i in range(n)]
    for patron, item in zip(patrons, items, strict=True):
        lend(counter_staff, patron, item)
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def worker(item: Item) -> None:
        try:
            barrier.wait()
            give_back(counter_staff, item)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(item,)) for item in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert CirculationDailyStat.objects.get(action="return").count == n
    assert not Loan.objects.exists()


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_lending_of_one_item_lends_it_once(counter_staff, central, general_category) -> None:
    item = make_item(home_branch=central)
    patrons = [make_patron(registered_branch=central, category=general_category) for _i in range(6)]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(patrons))

    def worker(patron: Patron) -> None:
        try:
            barrier.wait()
            lend(counter_staff, patron, item)
            outcomes.append("lent")
        except ValidationError as exc:
            outcomes.append("conflict" if services.is_conflict(exc) else "invalid")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(p,)) for p in patrons]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 5 + ["lent"]
    assert Loan.objects.count() == 1


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_refused_lend_leaves_no_transaction_id_shared_by_the_patron_and_the_item(
    central, general_category
) -> None:
    """A lend refused after the patron and the item were locked (here: an item already on loan) must
    not leave one rolled-back transaction id in both rows' xmax (tests/loans/test_privacy_invariant)."""
    from django.db import connection

    from tests.factories import make_patron
    from tests.loans.factories import make_item as new_item

    holder = make_patron(registered_branch=central, category=general_category)
    patron = make_patron(registered_branch=central, category=general_category)
    item = new_item(home_branch=central)
    services.loan_lend(
        actor=None, card_number=holder.card_number, barcode=item.barcode, branch_code="central"
    )
    with pytest.raises(ValidationError):
        services.loan_lend(
            actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmax::text FROM patrons_patron WHERE id = %s", [patron.pk])
        patron_xmax = cursor.fetchone()[0]
        cursor.execute("SELECT xmax::text FROM loans_item WHERE id = %s", [item.pk])
        item_xmax = cursor.fetchone()[0]
    assert patron_xmax != "0" and patron_xmax != item_xmax
