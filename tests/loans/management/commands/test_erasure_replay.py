"""A backup restored after its loans and reservations ended, then ``erasure_replay``: no patron–item
link survives anywhere (市川市 方針 第3(2)(3)). On PostgreSQL, with pg_dump and pg_restore, and the
whole-database scan of the privacy-invariant test as the proof."""

from __future__ import annotations

import os
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from loans import erasure, services
from loans.models import Loan, Reservation
from tests.factories import make_patron
from tests.loans.factories import make_item
from tests.loans.test_privacy_invariant import item_marks, live_pairs, patron_marks, scan_database

pytestmark = [pytest.mark.needs_postgres, pytest.mark.django_db(transaction=True)]


def _pg(cmd: list[str]) -> None:
    params = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": params.get("PASSWORD") or ""}
    args = [*cmd, "-h", params.get("HOST") or "127.0.0.1", "-p", str(params.get("PORT") or 5432)]
    args += ["-U", params.get("USER") or "postgres"]
    subprocess.run(args, env=env, check=True, capture_output=True, timeout=120)  # noqa: S603


def test_a_restored_backup_replayed_holds_no_link_of_what_ended_after_the_dump(
    central, general_category, counter_staff, tmp_path
) -> None:
    on = timezone.localdate()
    patrons = [make_patron(registered_branch=central, category=general_category) for _ in range(2)]
    items = [make_item(home_branch=central) for _ in range(4)]
    services.loan_lend(
        actor=counter_staff,
        card_number=patrons[0].card_number,
        barcode=items[0].barcode,
        branch_code="central",
    )
    services.loan_lend(
        actor=counter_staff,
        card_number=patrons[1].card_number,
        barcode=items[1].barcode,
        branch_code="central",
    )
    held = services.reservation_create(
        actor=counter_staff,
        card_number=patrons[0].card_number,
        barcode=items[2].barcode,
        pickup_branch_code="central",
    )
    services.reservation_create(
        actor=counter_staff,
        card_number=patrons[1].card_number,
        barcode=items[3].barcode,
        pickup_branch_code="central",
    )
    ended_loans = {pk: (p, i) for pk, p, i in Loan.objects.values_list("pk", "patron_id", "item_id")}
    ended_reservations = {
        pk: (p, i) for pk, p, i in Reservation.objects.values_list("pk", "patron_id", "item_id")
    }
    finished = set(ended_loans.values()) | set(ended_reservations.values())

    dump = tmp_path / "nightly.dump"
    _pg(["pg_dump", "--format=custom", "--file", str(dump), "--dbname", connection.settings_dict["NAME"]])

    # The next day: everything ends at the counter (each erased in its own committed transaction).
    for item in items[:2]:
        services.loan_return(actor=counter_staff, barcode=item.barcode, branch_code="central", on=on)
    services.reservation_cancel(actor=counter_staff, reservation=held, on=on)
    services.loan_lend(
        actor=counter_staff,
        card_number=patrons[1].card_number,
        barcode=items[3].barcode,
        branch_code="central",
    )  # the last reservation ends by lending: the loan it becomes is live (and allowed)
    services.loan_return(actor=counter_staff, barcode=items[3].barcode, branch_code="central", on=on)
    assert not live_pairs()

    # Restore last night's dump over the database.
    connection.close()
    _pg(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            connection.settings_dict["NAME"],
            str(dump),
        ]
    )
    assert live_pairs() == finished  # the backup brought every link back
    assert erasure.restore_pending(fresh=True)

    out = StringIO()
    call_command("erasure_replay", stdout=out)
    assert "復元されていた記録 4件を消去しました" in out.getvalue()
    assert not live_pairs()
    assert not erasure.restore_pending(fresh=True)
    findings = scan_database(
        finished=finished,
        ended_loans=ended_loans,
        ended_reservations=ended_reservations,
        patrons=[patron_marks(p) for p in patrons],
        items=[item_marks(i) for i in items],
        open_damage_cases=set(),
    )
    assert not findings, "\n".join(map(str, findings))
