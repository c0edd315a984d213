"""patrons.services.registration: registering (card number, expiry, identity check without a document
number, one access-log event, the paper form), updating, setting a password, paper-form destruction and
its reminder."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

from patrons import services
from patrons.models import IdentityCheck, PaperApplicationForm, PatronStatus
from privacy_admin.audit.models import AuditEvent
from tests.factories import make_patron
from tests.patrons.services.helpers import TODAY, registration

pytestmark = pytest.mark.django_db


def test_register_issues_unique_valid_card_number_and_expiry(ready) -> None:
    from patrons import rules

    patron = services.patron_register(actor=ready, data=registration(), on=TODAY)
    assert rules.is_valid_card_number(patron.card_number)
    assert patron.registered_on == TODAY
    assert patron.expires_on == dt.date(2029, 11, 21)
    assert patron.status == PatronStatus.ACTIVE


def test_register_records_document_type_but_never_a_number(ready) -> None:
    patron = services.patron_register(actor=ready, data=registration(), on=TODAY)
    check = IdentityCheck.objects.get(patron=patron)
    assert check.document_type == "drivers_license"
    assert check.checked_by == ready
    assert not any("number" in f.name for f in IdentityCheck._meta.get_fields())


def test_register_writes_one_audit_event_without_personal_data(ready) -> None:
    patron = services.patron_register(actor=ready, data=registration(), on=TODAY)
    event = AuditEvent.objects.get(action="patron.register")
    assert event.patron_id == patron.pk
    assert event.actor == ready
    serialized = str(event.detail)
    for value in ("佐藤", "花子", "厚木市", "hanako@example.jp", patron.card_number):
        assert value not in serialized


def test_register_creates_paper_form_due_one_month_later(ready) -> None:
    patron = services.patron_register(actor=ready, data=registration(), on=dt.date(2026, 1, 31))
    form = PaperApplicationForm.objects.get(patron=patron)
    assert form.destroy_by == dt.date(2026, 2, 28)
    assert form.destroyed_on is None


def test_password_is_stored_only_as_a_hash(ready) -> None:
    patron = services.patron_register(actor=ready, data=registration(password="hon-ga-suki"), on=TODAY)
    assert patron.password != "hon-ga-suki"
    assert check_password("hon-ga-suki", patron.password)


def test_update_requires_identity_and_changes_fields(ready) -> None:
    patron = make_patron()
    with pytest.raises(ValidationError):
        services.patron_update(
            actor=ready,
            patron=patron,
            changes=services.PatronChanges(phone="045-111-2222"),
            identity=None,
            on=TODAY,
        )
    services.patron_update(
        actor=ready,
        patron=patron,
        changes=services.PatronChanges(phone="045-111-2222"),
        identity=services.IdentityEvidence("passport"),
        on=TODAY,
    )
    patron.refresh_from_db()
    assert patron.phone == "045-111-2222"
    event = AuditEvent.objects.get(action="patron.update")
    assert event.detail == {"fields": ["phone"]}


def test_staff_password_reset_needs_identity_check(ready) -> None:
    patron = make_patron()
    with pytest.raises(ValidationError):
        services.patron_set_password(
            actor=ready, patron=patron, raw_password="atarashii-pw", identity=None, on=TODAY
        )
    services.patron_set_password(
        actor=ready,
        patron=patron,
        raw_password="atarashii-pw",
        identity=services.IdentityEvidence("passport"),
        on=TODAY,
    )
    patron.refresh_from_db()
    assert check_password("atarashii-pw", patron.password)


def test_paper_form_destruction_records_who_and_when(ready) -> None:
    services.patron_register(actor=ready, data=registration(), on=TODAY)
    form = PaperApplicationForm.objects.get()
    services.paper_form_confirm_destroyed(actor=ready, form=form, on=dt.date(2026, 12, 22))
    form.refresh_from_db()
    assert form.destroyed_on == dt.date(2026, 12, 22)
    assert form.destroyed_confirmed_by == ready
    with pytest.raises(ValidationError):
        services.paper_form_confirm_destroyed(actor=ready, form=form, on=dt.date(2026, 12, 23))


def test_paper_form_reminder_mails_counts_only_once_a_day(
    ready, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    services.patron_register(actor=ready, data=registration(), on=dt.date(2026, 9, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.paper_forms_remind(on=TODAY) == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "1件" in message.subject
    assert "佐藤" not in message.body and "花子" not in message.body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.paper_forms_remind(on=TODAY) == 0
    assert len(mailoutbox) == 1
