"""The reading history only the patron can read: sealed at return, opened with the key in the
patron's own cookie, erased on opt-out and on a password reset, re-wrapped on a password change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from loans import services as loan_services
from mypage import history
from mypage.models import HistoryEntry, HistoryKey
from patrons.services.password_reset import complete_patron_password_reset, make_token
from tests.loans.factories import make_item

from .conftest import PATRON_PASSWORD, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _offered(settings: Any) -> None:
    settings.READING_HISTORY_AVAILABLE = True


def _opt_in(client: Client) -> None:
    response = client.post("/my/history/", {"action": "enable", "password": PATRON_PASSWORD, "consent": "on"})
    assert response.status_code == 302, response.content.decode()[:800]


def _borrow_and_return(patron: Any, title: str, central: Any) -> None:
    item = make_item(title=title, home_branch=central)
    loan_services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    loan_services.loan_return(actor=None, barcode=item.barcode, branch_code="central")


def test_sealed_entries_have_one_size_whatever_the_title() -> None:
    from nacl.public import PrivateKey

    key = PrivateKey.generate()
    short = history.seal_entry(bytes(key.public_key), title="a", returned_on=dt.date(2026, 5, 1))
    long = history.seal_entry(bytes(key.public_key), title="長" * 200, returned_on=dt.date(2026, 5, 1))
    assert len(short) == len(long) == history.SEALED_SIZE
    assert history.open_entry(key, long) == ("長" * 200, dt.date(2026, 5, 1))
    assert history.open_entry(PrivateKey.generate(), short) is None


def test_the_wrapped_key_opens_only_with_the_password() -> None:
    _public, wrapped, salt, kek, t, m = history.new_key_material("correct horse")
    assert history.unwrap(wrapped, kek) is not None
    wrong = history.derive_kek("wrong horse", salt, time_cost=t, memory_kib=m)
    assert history.unwrap(wrapped, wrong) is None


def test_off_by_default_and_no_entry_without_opt_in(patron: Any, central: Any) -> None:
    _borrow_and_return(patron, "相模湾の魚", central)
    assert not HistoryEntry.objects.exists()


def test_not_offered_by_the_library(patron_client: Client, settings: Any) -> None:
    settings.READING_HISTORY_AVAILABLE = False
    response = patron_client.get("/my/history/")
    assert response.status_code == 404
    assert "読書記録のサービスを行っていません" in response.content.decode()


def test_the_page_says_a_reset_erases_before_opt_in(patron_client: Client) -> None:
    body = patron_client.get("/my/history/").content.decode()
    assert "再設定すると" in body and "すべて消去されます" in body


def test_opt_in_return_read_delete(patron: Any, central: Any) -> None:
    client = sign_in(Client(), patron)
    _opt_in(client)
    _borrow_and_return(patron, "大山詣りの道", central)
    _borrow_and_return(patron, "宮ヶ瀬湖の鳥", central)
    entries = list(HistoryEntry.objects.filter(patron=patron))
    assert len(entries) == 2
    # Nothing readable in the database: no title in any column, one size, no item, no date.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM mypage_historyentry")
        dump = repr(cursor.fetchall())
    assert "大山" not in dump and "大山詣りの道".encode() not in b"".join(bytes(e.sealed) for e in entries)
    assert {len(bytes(e.sealed)) for e in entries} == {history.SEALED_SIZE}
    assert [f.name for f in HistoryEntry._meta.fields] == ["id", "patron", "sealed"]
    body = client.get("/my/history/").content.decode()
    assert "大山詣りの道" in body and "宮ヶ瀬湖の鳥" in body
    first = entries[0]
    assert client.post("/my/history/", {"action": "delete", "entry": str(first.pk)}).status_code == 302
    assert HistoryEntry.objects.filter(patron=patron).count() == 1
    assert client.post("/my/history/", {"action": "delete_all"}).status_code == 302
    assert not HistoryEntry.objects.filter(patron=patron).exists()
    assert HistoryKey.objects.filter(patron=patron).exists()  # still opted in


def test_the_cookie_is_useless_without_the_server_key_and_in_another_session(
    patron: Any, central: Any, settings: Any
) -> None:
    client = sign_in(Client(), patron)
    _opt_in(client)
    _borrow_and_return(patron, "箱根の湯", central)
    cookie = client.cookies[history.COOKIE_NAME].value
    other = sign_in(Client(), patron)  # another session of the same patron, with its own cookie
    other.cookies[history.COOKIE_NAME] = cookie
    assert "箱根の湯" not in other.get("/my/history/").content.decode()
    settings.READING_HISTORY_COOKIE_KEY = "a-different-server-key"
    assert "箱根の湯" not in client.get("/my/history/").content.decode()


def test_the_key_never_rests_in_the_session(patron: Any, central: Any) -> None:
    client = sign_in(Client(), patron)
    _opt_in(client)
    session = client.session
    stored = repr(dict(session.items()))
    assert "kek" not in stored and client.cookies[history.COOKIE_NAME].value not in stored


def test_signing_in_again_reopens_the_history(patron: Any, central: Any) -> None:
    client = sign_in(Client(), patron)
    _opt_in(client)
    _borrow_and_return(patron, "丹沢の沢", central)
    again = sign_in(Client(), patron)
    assert "丹沢の沢" in again.get("/my/history/").content.decode()


def test_opting_out_erases_everything_at_once(patron: Any, central: Any) -> None:
    client = sign_in(Client(), patron)
    _opt_in(client)
    _borrow_and_return(patron, "江の島", central)
    assert client.post("/my/history/", {"action": "disable"}).status_code == 302
    assert not HistoryEntry.objects.filter(patron=patron).exists()
    assert not HistoryKey.objects.filter(patron=patron).exists()
    _borrow_and_return(patron, "鎌倉", central)
    assert not HistoryEntry.objects.exists()


def test_a_password_reset_erases_the_history(patron: Any, central: Any) -> None:
    client = sign_in(Client(), patron)
    _opt_in(client)
    _borrow_and_return(patron, "小田原城", central)
    complete_patron_password_reset(token=make_token(patron), new_password="Brand-New-Pass-77")
    assert not HistoryEntry.objects.filter(patron=patron).exists()
    assert not HistoryKey.objects.filter(patron=patron).exists()


def test_a_password_change_rewraps_the_key(patron: Any, central: Any) -> None:
    client = sign_in(Client(), patron)
    _opt_in(client)
    _borrow_and_return(patron, "三浦半島", central)
    response = client.post(
        "/my/password/", {"current_password": PATRON_PASSWORD, "password": "Tanzawa-Yama-2026"}
    )
    assert response.status_code == 302
    assert "三浦半島" in client.get("/my/history/").content.decode()
    again = sign_in(Client(), patron, "Tanzawa-Yama-2026")
    assert "三浦半島" in again.get("/my/history/").content.decode()


def test_staff_cannot_open_the_history_page(login: Any, counter_staff: Any) -> None:
    assert login(counter_staff).get("/my/history/").status_code == 403


def test_erased_entries_go_to_the_erasure_ledger(
    patron: Any, central: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from loans import erasure_ledger

    client = sign_in(Client(), patron)
    _opt_in(client)
    _borrow_and_return(patron, "城ヶ島", central)
    entry_id = HistoryEntry.objects.get(patron=patron).pk
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/my/history/", {"action": "delete_all"})
    assert entry_id in erasure_ledger.newest(HistoryEntry._meta.db_table, 10)


def test_today_is_the_return_date(patron: Any, central: Any) -> None:
    client = sign_in(Client(), patron)
    _opt_in(client)
    _borrow_and_return(patron, "湘南の海", central)
    body = client.get("/my/history/").content.decode()
    assert timezone.localdate().strftime("%Y年") in body


def test_a_restored_backup_loses_erased_entries_again(
    patron: Any, central: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from loans import erasure

    client = sign_in(Client(), patron)
    _opt_in(client)
    _borrow_and_return(patron, "城山湖", central)
    entry = HistoryEntry.objects.get(patron=patron)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/my/history/", {"action": "delete_all"})
    # The backup taken before the deletion comes back with the entry.
    HistoryEntry.objects.create(id=entry.pk, patron=patron, sealed=bytes(entry.sealed))
    assert erasure.restore_pending(fresh=True)
    erasure.replay()
    assert not HistoryEntry.objects.filter(pk=entry.pk).exists()
