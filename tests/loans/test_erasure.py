"""The one erasure module: each rule's ORM predicate and its sweep select the same rows; ``erase``
deletes, counts and notes the ledger after commit; no other module deletes a patron–item record;
a restored backup is refused at the counter until ``erasure_replay`` has run (方針 第3(2)(3), 第2(4))."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from loans import erasure
from loans import erasure_ledger as ledger
from loans.models import CirculationDailyStat, DamageCase, Item, Loan, Reservation
from patrons.models import Patron, PatronStatus
from privacy_admin.audit.models import AuditEvent
from tests.factories import make_patron
from tools import conventions

from .factories import make_item

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 20)


def _now() -> dt.datetime:
    return dt.datetime.combine(TODAY, dt.time(12), tzinfo=timezone.get_current_timezone())


# --- the rules --------------------------------------------------------------------------------------


def test_every_rule_says_what_is_deleted_kept_and_why() -> None:
    for rule in erasure.RULES:
        doc = type(rule).__doc__ or ""
        assert "Deleted:" in doc and "Kept:" in doc and "方針" in doc, rule
    assert {r.model for r in erasure.RULES} == {Loan, Reservation, DamageCase}
    assert len(erasure.BY_CODE) == len(erasure.RULES)


def test_event_only_rules_have_no_condition() -> None:
    for rule in (erasure.CANCELLED_RESERVATION, erasure.SETTLED_DAMAGE_CASE):
        assert not rule.sweeps
        with pytest.raises(erasure.NoCondition):
            rule.predicate(on=TODAY)
        with pytest.raises(ValueError):
            erasure.sweep(rule, on=TODAY)


# Random worlds: items (status, last return), patrons (status), loans and reservations in every state.
_world = st.fixed_dictionaries(
    {
        "patrons": st.lists(
            st.sampled_from([PatronStatus.ACTIVE, PatronStatus.CANCELLED]), min_size=1, max_size=3
        ),
        "items": st.lists(
            st.tuples(
                st.sampled_from([Item.Status.AVAILABLE, Item.Status.ON_LOAN, Item.Status.WITHDRAWN]),
                st.one_of(st.none(), st.integers(min_value=-40, max_value=40)),  # last return, hours from now
            ),
            min_size=1,
            max_size=4,
        ),
        "loans": st.lists(
            st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(min_value=-40, max_value=40)),
            max_size=4,
        ),
        "reservations": st.lists(
            st.tuples(
                st.integers(0, 3),
                st.integers(0, 3),
                st.sampled_from(list(Reservation.Status)),
                st.integers(min_value=-3, max_value=3),  # hold_until, days from today
            ),
            max_size=6,
        ),
    }
)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=_world)
def test_each_rules_orm_predicate_and_sweep_select_the_same_rows(central, general_category, world) -> None:
    sid = transaction.savepoint()
    try:
        now = _now()
        patrons = [
            make_patron(
                registered_branch=central,
                category=general_category,
                status=s,
                cancelled_on=TODAY if s == PatronStatus.CANCELLED else None,
            )
            for s in world["patrons"]
        ]
        items = []
        for status, hours in world["items"]:
            item = make_item(home_branch=central)
            Item.objects.filter(pk=item.pk).update(
                status=status, last_returned_at=None if hours is None else now + dt.timedelta(hours=hours)
            )
            items.append(item)
        lent: set[int] = set()
        for p, i, hours in world["loans"]:
            patron, item = patrons[p % len(patrons)], items[i % len(items)]
            if item.pk in lent:
                continue
            lent.add(item.pk)
            Loan.objects.create(
                item=item,
                patron=patron,
                branch=central,
                lent_at=now + dt.timedelta(hours=hours),
                due_on=TODAY,
            )
        held: set[int] = set()
        pairs: set[tuple[int, int]] = set()
        for p, i, status, days in world["reservations"]:
            patron, item = patrons[p % len(patrons)], items[i % len(items)]
            if (patron.pk, item.pk) in pairs or (status != Reservation.Status.WAITING and item.pk in held):
                continue
            pairs.add((patron.pk, item.pk))
            if status != Reservation.Status.WAITING:
                held.add(item.pk)
            Reservation.objects.create(
                item=item,
                patron=patron,
                pickup_branch=central,
                status=status,
                reserved_at=now,
                hold_until=None if status == Reservation.Status.WAITING else TODAY + dt.timedelta(days=days),
            )
        for rule in erasure.SWEEP_RULES:
            by_orm = set(
                rule.model._default_manager.filter(rule.predicate(on=TODAY)).values_list("pk", flat=True)
            )
            assert by_orm == erasure.select_ids(rule, on=TODAY), rule
    finally:
        transaction.savepoint_rollback(sid)


# --- erase ------------------------------------------------------------------------------------------


@pytest.fixture
def patron(central, general_category) -> Patron:
    return make_patron(registered_branch=central, category=general_category)


def test_erase_deletes_counts_and_notes_the_ledger_after_commit(
    central, patron, django_capture_on_commit_callbacks
) -> None:
    item = make_item(home_branch=central)
    loan = Loan.objects.create(item=item, patron=patron, branch=central, lent_at=_now(), due_on=TODAY)
    with django_capture_on_commit_callbacks() as callbacks:
        assert erasure.erase(
            erasure.RETURNED_LOAN, pk=loan.pk, day=TODAY, branch_id=central.pk, category_id=patron.category_id
        )
        assert ledger.newest(Loan._meta.db_table, 5) == []  # not before the commit
    assert not Loan.objects.filter(pk=loan.pk).exists()
    assert CirculationDailyStat.objects.get(action="return").count == 1
    for callback in callbacks:
        callback()
    assert ledger.newest(Loan._meta.db_table, 5) == [loan.pk]


def test_erase_of_a_row_already_gone_counts_nothing(
    central, patron, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert not erasure.erase(
            erasure.CANCELLED_RESERVATION,
            pk=999_999,
            day=TODAY,
            branch_id=central.pk,
            category_id=patron.category_id,
        )
    assert not CirculationDailyStat.objects.exists()
    assert ledger.count() == 0


def test_a_rolled_back_erasure_never_reaches_the_ledger(central, patron) -> None:
    item = make_item(home_branch=central)
    loan = Loan.objects.create(item=item, patron=patron, branch=central, lent_at=_now(), due_on=TODAY)
    with pytest.raises(RuntimeError), transaction.atomic():
        erasure.erase(erasure.RETURNED_LOAN, pk=loan.pk)
        raise RuntimeError("the counter's transaction failed")
    assert Loan.objects.filter(pk=loan.pk).exists()
    assert ledger.count() == 0


def test_a_failing_ledger_never_turns_the_erasure_into_an_error(central, patron, monkeypatch, caplog) -> None:
    def broken(*args, **kwargs):
        raise OSError("disk full at /secret/path")

    monkeypatch.setattr(ledger, "append", broken)
    ledger.append_safely("loans_loan", [1, 2, 3])
    assert "append failed table=loans_loan rows=3 error=OSError" in caplog.text
    assert "/secret/path" not in caplog.text


def test_the_sweep_notes_every_erased_id_in_the_ledger(
    central, patron, django_capture_on_commit_callbacks
) -> None:
    on = TODAY
    ids = []
    for _ in range(5):
        item = make_item(home_branch=central)
        ids.append(
            Reservation.objects.create(
                item=item,
                patron=patron,
                pickup_branch=central,
                status=Reservation.Status.READY,
                reserved_at=_now(),
                hold_until=on - dt.timedelta(days=1),
            ).pk
        )
    with django_capture_on_commit_callbacks(execute=True):
        erased, batches = erasure.sweep(erasure.EXPIRED_RESERVATION, on=on, batch_size=2)
    assert (erased, batches) == (5, 3)
    assert sorted(ledger.newest(Reservation._meta.db_table, 10)) == sorted(ids)


# --- no delete elsewhere ----------------------------------------------------------------------------


def test_no_module_but_the_erasure_module_deletes_a_loan_reservation_or_damage_case() -> None:
    # The house rule "link-delete" (tools/conventions.py; its examples in tests/tools/).
    offenders = [p for p in conventions.run() if "[link-delete]" in p]
    assert not offenders, offenders
    assert {m.__name__ for m in erasure.LINK_MODELS} == conventions.LINK_MODELS


# --- the ledger and a restored backup ---------------------------------------------------------------


def _restored(central, patron) -> tuple[Loan, Reservation]:
    """A database as a restore leaves it: rows the ledger says were erased since the dump."""
    item, other = make_item(home_branch=central), make_item(home_branch=central)
    loan = Loan.objects.create(item=item, patron=patron, branch=central, lent_at=_now(), due_on=TODAY)
    reservation = Reservation.objects.create(
        item=other, patron=patron, pickup_branch=central, reserved_at=_now()
    )
    ledger.append(Loan._meta.db_table, [loan.pk])
    ledger.append(Reservation._meta.db_table, [reservation.pk])
    return loan, reservation


def test_counter_pages_refuse_a_restored_database_until_replayed(
    central, patron, login, counter_staff
) -> None:
    loan, reservation = _restored(central, patron)
    client = login(counter_staff)
    for name in (
        "loans:counter",
        "loans:return",
        "loans:reserve",
        "loans:pickup",
        "loans:capture",
        "loans:cancel",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 503, name
        assert "erasure_replay" in response.content.decode()
    out = StringIO()
    call_command("erasure_replay", stdout=out)
    assert "復元されていた記録 2件を消去しました" in out.getvalue()
    assert (
        not Loan.objects.filter(pk=loan.pk).exists()
        and not Reservation.objects.filter(pk=reservation.pk).exists()
    )
    assert client.get(reverse("loans:counter")).status_code == 200
    event = AuditEvent.objects.get(action="circulation.erasure_replay")
    assert event.detail == {"ledger_rows": 2, "deleted": 2}
    assert str(patron.card_number) not in out.getvalue()


def test_replay_is_idempotent_and_moves_the_id_sequences_past_the_ledger(central, patron) -> None:
    loan, _reservation = _restored(central, patron)
    ledger.append(Loan._meta.db_table, [loan.pk + 500])  # erased after the dump, created after it too
    first = erasure.replay()
    second = erasure.replay()
    assert first.total_deleted == 2 and second.total_deleted == 0 and second.ledger_rows == 3
    item = make_item(home_branch=central)
    new = Loan.objects.create(item=item, patron=patron, branch=central, lent_at=_now(), due_on=TODAY)
    assert new.pk > loan.pk + 500  # never an id a later replay would delete
    assert not erasure.restore_pending(fresh=True)


def test_an_unreadable_ledger_does_not_close_the_counter(settings, login, counter_staff, caplog) -> None:
    settings.ERASURE_LEDGER_PATH = Path("/proc/no-such-dir/ledger.sqlite3")
    assert not erasure.restore_pending(fresh=True)
    assert "erasure ledger: check failed" in caplog.text
    assert login(counter_staff).get(reverse("loans:counter")).status_code == 200


def test_the_circulation_api_refuses_a_restored_database_until_replayed(
    central, patron, counter_staff
) -> None:
    from django.test import Client

    from privacy_admin.accounts.services import api_token_create

    _restored(central, patron)
    token = api_token_create(actor=counter_staff, user=counter_staff)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.post(
        "/api/v1/returns", {"barcode": "X1", "branch": "central"}, content_type="application/json"
    )
    assert response.status_code == 503 and "erasure_replay" in response.json()["detail"]
    erasure.replay()
    response = client.post(
        "/api/v1/returns", {"barcode": "X1", "branch": "central"}, content_type="application/json"
    )
    assert response.status_code != 503
