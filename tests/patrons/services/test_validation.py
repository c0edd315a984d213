"""patrons.services.validation: every registration rule of 要綱 第4-12条 — each refusal names its field in
Japanese and saves nothing (names in JIS characters, lengths, required fields, residence and work,
identity documents, proxies, duplicates, passwords, invisible characters)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from patrons import services
from patrons.models import IdentityCheck, PaperApplicationForm, Patron, ProxyApplication
from privacy_admin.audit.models import AuditEvent
from tests.patrons.services.helpers import TODAY, errors_of, registration

pytestmark = pytest.mark.django_db


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
    assert "厚木市 要綱第4条" in " ".join(errors_of(exc)["address"])


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


def test_branch_that_takes_no_registrations_is_refused(ready, pickup_counter) -> None:
    with pytest.raises(ValidationError) as exc:
        services.patron_register(actor=ready, data=registration(registered_branch="pickup-east"), on=TODAY)
    assert "第3条" in " ".join(errors_of(exc)["registered_branch"])


def test_short_password_is_refused(ready) -> None:
    with pytest.raises(ValidationError) as exc:
        services.patron_register(actor=ready, data=registration(password="abc"), on=TODAY)
    assert "password" in errors_of(exc)


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


def test_half_width_kana_is_stored_full_width(ready) -> None:
    patron = services.patron_register(
        actor=ready, data=registration(family_name_kana="ｻﾄｳ", given_name_kana="はなこ"), on=TODAY
    )
    assert patron.family_name_kana == "サトウ"
    assert patron.given_name_kana == "ハナコ"
