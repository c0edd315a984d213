"""マイページ services: sign-in lockout keyed by HMAC, renewal rules, notice channel rules, contact change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from loans import services as loan_services
from loans.models import Loan
from mypage import services
from mypage.models import HistoryEntry, SignInFailure
from privacy_admin.audit.models import AuditEvent
from tests.loans.factories import make_item

from .conftest import PATRON_PASSWORD

pytestmark = pytest.mark.django_db


def test_failures_are_counted_by_hmac_never_the_card_number(patron: Any) -> None:
    with pytest.raises(services.SignInRefused):
        services.patron_sign_in(card_number=patron.card_number, password="bad-bad-1", ip="192.0.2.1")
    digests = list(SignInFailure.objects.values_list("digest", flat=True))
    assert len(digests) == 2
    assert all(patron.card_number not in d and "192.0.2.1" not in d for d in digests)


def test_address_lockout_spans_cards(patron: Any, other_patron: Any, settings: Any) -> None:
    settings.ADDRESS_LOCKOUT_FAILURES = 2
    for card in ("2100000000", "2100000001"):
        with pytest.raises(services.SignInRefused):
            services.patron_sign_in(card_number=card, password="x-x-x-1", ip="192.0.2.9")
    with pytest.raises(services.SignInRefused) as refused:
        services.patron_sign_in(card_number=patron.card_number, password=PATRON_PASSWORD, ip="192.0.2.9")
    assert refused.value.locked
    assert services.patron_sign_in(card_number=patron.card_number, password=PATRON_PASSWORD, ip="192.0.2.10")


def test_a_success_clears_the_cards_failures(patron: Any) -> None:
    with pytest.raises(services.SignInRefused):
        services.patron_sign_in(card_number=patron.card_number, password="bad-bad-1", ip=None)
    services.patron_sign_in(card_number=patron.card_number, password=PATRON_PASSWORD, ip=None)
    assert not SignInFailure.objects.filter(kind="card").exists()


def test_an_expired_registration_cannot_sign_in(patron: Any) -> None:
    patron.expires_on = timezone.localdate() - dt.timedelta(days=1)
    patron.save()
    with pytest.raises(services.SignInRefused) as refused:
        services.patron_sign_in(card_number=patron.card_number, password=PATRON_PASSWORD, ip=None)
    assert "有効期限" in refused.value.message


def _loan(patron: Any, central: Any, lent_days_ago: int) -> Loan:
    item = make_item(home_branch=central)
    return loan_services.loan_lend(
        actor=None,
        card_number=patron.card_number,
        barcode=item.barcode,
        branch_code="central",
        on=timezone.localdate() - dt.timedelta(days=lent_days_ago),
    )


def test_renewal_rules(patron: Any, central: Any, settings: Any) -> None:
    on = timezone.localdate()
    loan = _loan(patron, central, 10)
    assert services.renewal_refusal(loan, waiting=True, on=on).startswith("この資料を待っている予約")
    assert services.renewal_refusal(loan, waiting=False, on=on) == ""
    assert "変わりません" in services.renewal_refusal(_loan(patron, central, 0), waiting=False, on=on)
    overdue = _loan(patron, central, 20)
    assert "期限を過ぎている" in services.renewal_refusal(overdue, waiting=False, on=on)
    services.loan_renew(patron=patron, loan_id=loan.pk)
    loan.refresh_from_db()
    later = on + dt.timedelta(days=12)
    assert "回数" in services.renewal_refusal(loan, waiting=False, on=later)
    settings.LOANS_MAX_RENEWALS = 2
    assert services.renewal_refusal(loan, waiting=False, on=later) == ""


def test_the_renew_event_names_the_patron_not_the_item(patron: Any, central: Any) -> None:
    loan = _loan(patron, central, 10)
    with services.as_patron(patron.pk):
        services.loan_renew(patron=patron, loan_id=loan.pk)
    event = AuditEvent.objects.filter(action="mypage.loan_renew").latest("seq")
    assert (event.role, event.patron_id, event.target_type) == ("patron", patron.pk, "patron")


def test_notice_channel_needs_the_contact(patron: Any) -> None:
    patron.phone = ""
    patron.save()
    with pytest.raises(ValidationError):
        services.patron_set_notice_channel(patron=patron, channel="phone")
    with pytest.raises(ValidationError):
        services.patron_set_notice_channel(patron=patron, channel="fax")
    services.patron_set_notice_channel(patron=patron, channel="postcard")
    assert services.notice_channel_preference(patron) == "postcard"
    services.patron_set_notice_channel(patron=patron, channel="")
    assert services.notice_channel_preference(patron) is None


def test_contact_change_records_field_names_only(patron: Any) -> None:
    assert services.patron_update_contact(patron=patron, phone="0462230000", email=patron.email) == ["phone"]
    event = AuditEvent.objects.filter(action="mypage.contact_update").latest("seq")
    assert event.detail == {"fields": ["phone"]}


def test_deleting_another_patrons_entry_is_404(patron: Any, other_patron: Any, settings: Any) -> None:
    settings.READING_HISTORY_AVAILABLE = True
    services.history_enable(patron=other_patron, password=PATRON_PASSWORD)
    entry = HistoryEntry.objects.create(patron=other_patron, sealed=b"x" * 1072)
    with pytest.raises(Http404):
        services.history_delete_entry(patron=patron, entry_id=entry.pk)
    assert HistoryEntry.objects.filter(pk=entry.pk).exists()


def test_history_cannot_be_enabled_where_not_offered(patron: Any, settings: Any) -> None:
    settings.READING_HISTORY_AVAILABLE = False
    with pytest.raises(ValidationError):
        services.history_enable(patron=patron, password=PATRON_PASSWORD)
