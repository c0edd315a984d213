"""Patron services: every registration rule of 要綱 第4-12条, and erasure that leaves nothing behind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import connection

from patrons import services
from patrons.models import IdentityCheck, PaperApplicationForm, Patron, PatronStatus, ProxyApplication
from privacy_admin.audit.models import AuditEvent

from ..factories import make_patron

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 21)


def registration(**overrides: object) -> services.RegistrationInput:
    data: dict[str, object] = {
        "family_name": "佐藤",
        "given_name": "花子",
        "family_name_kana": "サトウ",
        "given_name_kana": "ハナコ",
        "birth_date": dt.date(1990, 4, 2),
        "address": "神奈川県厚木市中町1-1-3",
        "category": "general",
        "eligibility": "residence",
        "registered_branch": "central",
        "identity": services.IdentityEvidence("drivers_license"),
        "phone": "046-223-0033",
        "email": "hanako@example.jp",
    }
    data.update(overrides)
    return services.RegistrationInput(**data)  # type: ignore[arg-type]


@pytest.fixture
def ready(central, general_category, counter_staff):
    return counter_staff


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


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


def test_half_width_kana_is_stored_full_width(ready) -> None:
    patron = services.patron_register(
        actor=ready, data=registration(family_name_kana="ｻﾄｳ", given_name_kana="はなこ"), on=TODAY
    )
    assert patron.family_name_kana == "サトウ"
    assert patron.given_name_kana == "ハナコ"


def test_non_jis_name_is_refused_with_standard_character_suggested(ready) -> None:
    with pytest.raises(ValidationError) as exc:
        services.patron_register(actor=ready, data=registration(family_name="髙橋"), on=TODAY)
    assert any("高" in m for m in errors_of(exc)["family_name"])
    assert Patron.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("family_name", "山" * 31), ("address", "神奈川県厚木市" + "あ" * 200), ("given_name_kana", "ア" * 41)],
)
def test_over_long_fields_are_refused_and_nothing_is_saved(ready, field: str, value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.patron_register(actor=ready, data=registration(**{field: value}), on=TODAY)
    assert "文字以内" in " ".join(errors_of(exc)[field])
    assert Patron.objects.count() == 0
    assert not AuditEvent.objects.filter(action="patron.register").exists()


def test_incomplete_application_lists_every_missing_field(ready) -> None:
    with pytest.raises(ValidationError) as exc:
        services.patron_register(
            actor=ready,
            data=registration(family_name="", given_name_kana="", address="", birth_date=None, identity=None),
            on=TODAY,
        )
    assert {"family_name", "given_name_kana", "address", "birth_date", "id_document_type"} <= set(
        errors_of(exc)
    )


def test_future_birth_date_is_refused(ready) -> None:
    with pytest.raises(ValidationError) as exc:
        services.patron_register(actor=ready, data=registration(birth_date=dt.date(2027, 1, 1)), on=TODAY)
    assert "birth_date" in errors_of(exc)


def test_residence_outside_listed_municipalities_is_refused(ready) -> None:
    with pytest.raises(ValidationError) as exc:
        services.patron_register(actor=ready, data=registration(address="東京都新宿区西新宿2-8-1"), on=TODAY)
    assert "要綱第4条" in " ".join(errors_of(exc)["address"])


def test_work_eligibility_needs_a_work_document(ready) -> None:
    with pytest.raises(ValidationError):
        services.patron_register(
            actor=ready,
            data=registration(eligibility="work", address="東京都新宿区西新宿2-8-1"),
            on=TODAY,
        )
    patron = services.patron_register(
        actor=ready,
        data=registration(
            eligibility="work",
            address="東京都新宿区西新宿2-8-1",
            identity=services.IdentityEvidence("employee_id"),
        ),
        on=TODAY,
    )
    assert patron.eligibility == "work"


def test_six_month_document_must_be_fresh(ready) -> None:
    stale = services.IdentityEvidence("resident_record", issued_on=dt.date(2026, 4, 20))
    with pytest.raises(ValidationError) as exc:
        services.patron_register(actor=ready, data=registration(identity=stale), on=TODAY)
    assert "id_document_type" in errors_of(exc)
    fresh = services.IdentityEvidence("resident_record", issued_on=dt.date(2026, 5, 21))
    assert services.patron_register(actor=ready, data=registration(identity=fresh), on=TODAY).pk


def test_six_month_document_without_issue_date_is_refused(ready) -> None:
    with pytest.raises(ValidationError):
        services.patron_register(
            actor=ready, data=registration(identity=services.IdentityEvidence("utility_bill")), on=TODAY
        )


def test_maternal_handbook_only_for_primary_school_age(ready, child_category) -> None:
    handbook = services.IdentityEvidence("maternal_handbook")
    child = services.patron_register(
        actor=ready,
        data=registration(
            birth_date=dt.date(2018, 6, 1), category="child", identity=handbook, guardian_name="佐藤 洋子"
        ),
        on=TODAY,
    )
    assert child.guardian_name == "佐藤 洋子"
    with pytest.raises(ValidationError):
        services.patron_register(
            actor=ready,
            data=registration(given_name="次郎", birth_date=dt.date(2010, 6, 1), identity=handbook),
            on=TODAY,
        )


def test_adult_proxy_application_needs_power_of_attorney(ready) -> None:
    proxy = services.ProxyInput(
        "入院中", power_of_attorney_received=False, identity=services.IdentityEvidence("library_card")
    )
    with pytest.raises(ValidationError) as exc:
        services.patron_register(actor=ready, data=registration(proxy=proxy), on=TODAY)
    assert "委任状" in " ".join(errors_of(exc)["proxy_power_of_attorney"])
    assert Patron.objects.count() == 0


def test_adult_proxy_with_power_of_attorney_checks_both_people(ready) -> None:
    proxy = services.ProxyInput(
        "入院中", power_of_attorney_received=True, identity=services.IdentityEvidence("library_card")
    )
    patron = services.patron_register(actor=ready, data=registration(proxy=proxy), on=TODAY)
    parties = sorted(IdentityCheck.objects.filter(patron=patron).values_list("party", flat=True))
    assert parties == ["applicant", "proxy"]
    assert ProxyApplication.objects.get(patron=patron).power_of_attorney_received
    kinds = set(PaperApplicationForm.objects.filter(patron=patron).values_list("kind", flat=True))
    assert kinds == {"new", "poa"}


def test_minor_proxy_application_needs_no_power_of_attorney(ready) -> None:
    proxy = services.ProxyInput(
        "病気", power_of_attorney_received=False, identity=services.IdentityEvidence("drivers_license")
    )
    patron = services.patron_register(
        actor=ready, data=registration(birth_date=dt.date(2009, 1, 1), proxy=proxy), on=TODAY
    )
    assert patron.pk


def test_proxy_identity_is_checked_too(ready) -> None:
    proxy = services.ProxyInput(
        "病気", power_of_attorney_received=True, identity=services.IdentityEvidence("nonsense")
    )
    with pytest.raises(ValidationError) as exc:
        services.patron_register(actor=ready, data=registration(proxy=proxy), on=TODAY)
    assert "proxy_id_document_type" in errors_of(exc)


def test_duplicate_person_is_refused_across_width_and_spacing(ready) -> None:
    services.patron_register(actor=ready, data=registration(), on=TODAY)
    again = registration(family_name="佐藤 ", address="神奈川県厚木市中町１丁目１番３号", email="")
    with pytest.raises(ValidationError) as exc:
        services.patron_register(actor=ready, data=again, on=TODAY)
    assert "第6条" in " ".join(errors_of(exc)["__all__"])
    assert Patron.objects.count() == 1


def test_cancelled_person_may_register_again(ready) -> None:
    first = services.patron_register(actor=ready, data=registration(), on=TODAY)
    services.patron_cancel(actor=ready, patron=first, reason="moved", on=TODAY)
    second = services.patron_register(actor=ready, data=registration(), on=TODAY)
    assert second.card_number != first.card_number


def test_branch_that_takes_no_registrations_is_refused(ready, pickup_counter) -> None:
    with pytest.raises(ValidationError) as exc:
        services.patron_register(actor=ready, data=registration(registered_branch="pickup-east"), on=TODAY)
    assert "第3条" in " ".join(errors_of(exc)["registered_branch"])


def test_password_is_stored_only_as_a_hash(ready) -> None:
    patron = services.patron_register(actor=ready, data=registration(password="hon-ga-suki"), on=TODAY)
    assert patron.password != "hon-ga-suki"
    assert check_password("hon-ga-suki", patron.password)


def test_short_password_is_refused(ready) -> None:
    with pytest.raises(ValidationError) as exc:
        services.patron_register(actor=ready, data=registration(password="abc"), on=TODAY)
    assert "password" in errors_of(exc)


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


def test_self_service_reset_needs_matching_card_and_email(db) -> None:
    patron = make_patron(email="me@example.jp")
    assert not services.patron_password_reset_self_service(
        card_number=patron.card_number, email="other@example.jp", new_password="yomu-hon-2026"
    )
    assert not services.patron_password_reset_self_service(
        card_number="2100000000", email="me@example.jp", new_password="yomu-hon-2026"
    )
    patron.refresh_from_db()
    assert patron.password == ""
    assert services.patron_password_reset_self_service(
        card_number=patron.card_number, email="ME@example.jp", new_password="yomu-hon-2026"
    )
    patron.refresh_from_db()
    assert check_password("yomu-hon-2026", patron.password)
    failures = AuditEvent.objects.filter(action="patron.password_reset_self", outcome="failure")
    assert failures.count() == 2 and all(e.patron_id is None for e in failures)


def test_self_service_reset_without_registered_email_is_impossible(db) -> None:
    patron = make_patron(email="")
    assert not services.patron_password_reset_self_service(
        card_number=patron.card_number, email="", new_password="yomu-hon-2026"
    )


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


@pytest.mark.parametrize(
    "overrides",
    [
        {"category": "gen\x00eral"},
        {"registered_branch": "cen\x00tral"},
        {"family_name": "佐\x00藤"},
        {"address": "神奈川県厚木市中町1-1-3\u202e"},
        {"given_name_kana": "ハナ\u200bコ"},
        {"email": "a\x00@example.jp"},
        {"identity": services.IdentityEvidence("drivers\x00license")},
    ],
)
def test_nul_and_invisible_characters_are_refused_not_500(ready, overrides: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        services.patron_register(actor=ready, data=registration(**overrides), on=TODAY)
    assert Patron.objects.count() == 0


def test_self_service_reset_with_nul_is_a_plain_failure(db) -> None:
    assert not services.patron_password_reset_self_service(
        card_number="21\x0000000", email="x@example.jp", new_password="yomu-hon-2026"
    )
    assert not services.patron_password_reset_self_service(
        card_number="2100000000", email="x\x00@example.jp", new_password="yomu-hon-2026"
    )
