"""patrons.services.lifecycle: renewal, cancellation, and erasure that leaves nothing behind; the purges."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from patrons import services
from patrons.models import IdentityCheck, PaperApplicationForm, Patron, PatronStatus
from privacy_admin.audit.models import AuditEvent
from tests.factories import make_patron
from tests.patrons.services.helpers import TODAY, errors_of, registration

pytestmark = pytest.mark.django_db


def test_renewal_opens_sixty_days_before_expiry(ready) -> None:
    patron = make_patron(expires_on=dt.date(2027, 1, 31))
    with pytest.raises(ValidationError) as exc:
        services.patron_renew(actor=ready, patron=patron, on=dt.date(2026, 11, 30))
    assert "第9条" in " ".join(errors_of(exc)["__all__"])
    services.patron_renew(actor=ready, patron=patron, on=dt.date(2026, 12, 2))
    patron.refresh_from_db()
    assert patron.expires_on == dt.date(2030, 1, 31)


def test_expired_registration_renews_from_today(ready) -> None:
    patron = make_patron(expires_on=dt.date(2026, 3, 1))
    services.patron_renew(
        actor=ready, patron=patron, identity=services.IdentityEvidence("passport"), on=TODAY
    )
    patron.refresh_from_db()
    assert patron.expires_on == dt.date(2029, 11, 21)
    assert IdentityCheck.objects.filter(patron=patron, purpose="renewal").count() == 1


def test_cancel_marks_and_audits_and_refuses_twice(ready) -> None:
    patron = make_patron()
    services.patron_cancel(actor=ready, patron=patron, reason="own_request", on=TODAY)
    assert patron.status == PatronStatus.CANCELLED
    assert AuditEvent.objects.filter(action="patron.cancel", patron_id=patron.pk).count() == 1
    with pytest.raises(ValidationError):
        services.patron_cancel(actor=ready, patron=patron, reason="own_request", on=TODAY)
    with pytest.raises(ValidationError):
        services.patron_cancel(actor=ready, patron=make_patron(), reason="whatever", on=TODAY)


def test_cancelled_person_may_register_again(ready) -> None:
    first = services.patron_register(actor=ready, data=registration(), on=TODAY)
    services.patron_cancel(actor=ready, patron=first, reason="moved", on=TODAY)
    second = services.patron_register(actor=ready, data=registration(), on=TODAY)
    assert second.card_number != first.card_number


def _history_rows_for(patron_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM patrons_historicalpatron WHERE id = %s", [patron_id])
        return int(cursor.fetchone()[0])


def test_erase_deletes_patron_and_every_history_row(ready) -> None:
    patron = services.patron_register(actor=ready, data=registration(), on=TODAY)
    services.patron_renew(actor=ready, patron=patron, on=dt.date(2029, 10, 1))
    pk = patron.pk
    assert _history_rows_for(pk) >= 2
    assert services.patron_erase(actor=None, patron=patron, reason="cancelled")
    assert not Patron.objects.filter(pk=pk).exists()
    assert _history_rows_for(pk) == 0
    assert not IdentityCheck.objects.filter(patron_id=pk).exists()
    form = PaperApplicationForm.objects.get()
    assert form.patron_id is None
    assert AuditEvent.objects.filter(action="patron.erase", patron_id=pk).count() == 1


def test_erased_patron_leaves_no_name_anywhere_in_the_database(ready) -> None:
    patron = services.patron_register(
        actor=ready,
        data=registration(family_name="鴨志田", given_name="澪", email="mio@example.jp"),
        on=TODAY,
    )
    services.patron_erase(actor=None, patron=patron, reason="cancelled")
    tables = connection.introspection.table_names()
    needles = ["鴨志田", "mio@example.jp"]
    with connection.cursor() as cursor:
        for table in tables:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                for needle in needles:
                    assert needle not in text, f"{needle!r} survives in {table} ({columns})"


def test_purge_expired_deletes_only_registrations_past_the_grace_period(ready, settings) -> None:
    settings.PATRON_DELETE_AFTER_EXPIRY_DAYS = 365
    old = make_patron(expires_on=dt.date(2025, 11, 20))
    recent = make_patron(expires_on=dt.date(2025, 11, 22))
    assert services.patrons_purge_expired(on=TODAY) == 1
    assert not Patron.objects.filter(pk=old.pk).exists()
    assert Patron.objects.filter(pk=recent.pk).exists()
    assert services.patrons_purge_expired(on=TODAY) == 0


def test_purge_cancelled_is_idempotent(ready) -> None:
    patron = make_patron()
    services.patron_cancel(actor=ready, patron=patron, reason="moved", on=TODAY)
    make_patron()
    assert services.patrons_purge_cancelled() == 1
    assert services.patrons_purge_cancelled() == 0
    assert Patron.objects.count() == 1
