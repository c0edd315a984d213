"""Registering, changing and abolishing register entries (要綱 第16条): the rules, the history with its
reasons, the access log, and that a refused write changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from outsourcing.models import Contract
from privacy_admin.audit.labels import ACTION_GROUP_LABELS, ACTION_LABELS
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core import register_entries as entries
from register import selectors
from register.models import RegisterEntry
from register.services import entries as services
from tests.outsourcing.factories import make_contract
from tests.register.factories import make_entry
from tests.register.helpers import days_ago, entry_values, freeze_today, snapshot  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def _create(actor: Any, **overrides: Any) -> RegisterEntry:
    return services.register_entry_create(actor=actor, **entry_values(**overrides))


# --- registration ----------------------------------------------------------------------------------


def test_create_numbers_after_the_highest_and_derives_the_code(administrator: Any) -> None:
    highest = RegisterEntry.objects.order_by("-number").first()
    assert highest is not None
    entry = _create(administrator)
    assert entry.number == highest.number + 1
    assert entry.code == f"entry-{entry.number}"
    assert entry.status == RegisterEntry.Status.REGISTERED
    assert entry.extra_items == ["name", "phone", "request_card"]  # vocabulary order
    event = AuditEvent.objects.get(action="register_entry.create")
    assert event.target_type == "register_entry" and event.target_id == str(entry.pk)
    assert event.detail == {"number": entry.number, "code": entry.code}
    record = entry.history.get()
    assert record.history_type == "+" and record.history_change_reason == "新規登録"
    assert record.history_user == administrator


def test_create_keeps_a_given_code_and_number(administrator: Any) -> None:
    entry = _create(administrator, code="book-requests", number=40)
    assert (entry.code, entry.number) == ("book-requests", 40)
    assert _create(administrator).number == 41


def test_registration_date_defaults_to_today(administrator: Any, today: dt.date) -> None:
    entry = _create(administrator, registered_on=None, starts_on=today)
    assert entry.registered_on == today


def test_start_before_registration_is_refused_and_changes_nothing(administrator: Any) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        _create(administrator, registered_on=days_ago(3), starts_on=days_ago(4))
    assert _errors(exc)["starts_on"] == [
        "事務の開始日は登録日以後の日付にしてください（山梨県 要綱第16条第2項: 事務を開始しようとするときに登録）。"
    ]
    assert snapshot() == before


def test_an_entry_with_no_purpose_is_refused_and_changes_nothing(administrator: Any) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        _create(administrator, purpose="  \n ")
    assert _errors(exc)["purpose"] == ["個人情報取扱事務の目的を入力してください（山梨県 要綱第16条第1項）。"]
    assert snapshot() == before


def test_every_missing_item_is_named_at_once(administrator: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.register_entry_create(actor=administrator)
    errors = _errors(exc)
    assert set(errors) >= {
        "name",
        "purpose",
        "department",
        "subjects",
        "collection_sources",
        "retention_period",
        "request_office",
        "starts_on",
    }
    assert errors["collection_sources"] == ["収集先を1つ以上選んでください（山梨県 要綱第16条第1項）。"]
    assert errors["starts_on"] == ["事務の開始日を入力してください。"]


def test_values_outside_the_vocabulary_are_refused(administrator: Any) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        _create(administrator, extra_items=["name", "shoe_size"], collection_sources=["person", "rumour"])
    errors = _errors(exc)
    assert errors["extra_items"] == [
        "記録項目（システム外で扱う項目）にデータ項目の語彙にない値があります: shoe_size"
    ]
    assert errors["collection_sources"] == ["収集先に収集先の区分にない値があります: rumour"]
    assert snapshot() == before


def test_a_taken_code_or_number_and_a_bad_code_are_refused(administrator: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(administrator, code=entries.LIBRARY_USE, number=1)
    errors = _errors(exc)
    assert errors["code"] == ["コード「library-use」は既に使われています。"]
    assert errors["number"] == ["登録番号 第1号 は既に使われています。"]
    with pytest.raises(ValidationError) as exc:
        _create(administrator, code="Book Requests!")
    assert "英小文字・数字をハイフンでつないだ" in _errors(exc)["code"][0]


@pytest.mark.parametrize("number", [0, 10_000, 99_999_999_999])
def test_a_bad_number_is_named_alone(administrator: Any, number: int) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(administrator, number=number)
    assert _errors(exc) == {"number": ["登録番号は1以上9999以下の整数で入力してください。"]}


def test_outsourcing_and_online_connection_need_their_notes(administrator: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(administrator, outsourced=True, online_connection=True)
    errors = _errors(exc)
    assert errors["outsourcing_note"] == ["外部委託ありのときは委託先・委託内容を入力してください。"]
    assert errors["online_connection_note"] == ["オンライン結合ありのときは結合先を入力してください。"]


def test_a_future_registration_date_and_overlong_text_are_refused(administrator: Any, today: dt.date) -> None:
    future = today + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        _create(administrator, registered_on=future, starts_on=future, name="あ" * 201)
    errors = _errors(exc)
    assert errors["registered_on"] == ["登録日に未来の日付は入力できません。"]
    assert errors["name"] == ["個人情報取扱事務の名称は200文字以内で入力してください。"]


def test_control_characters_are_refused_in_single_line_items(administrator: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(administrator, department="奉仕係\x00")
    assert _errors(exc)["department"] == ["所管する組織の名称に使用できない文字が含まれています。"]


# --- change ----------------------------------------------------------------------------------------


def test_change_needs_a_reason_and_changes_nothing_without_one(administrator: Any) -> None:
    entry = make_entry(registered_on=days_ago(30), starts_on=days_ago(30))
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.register_entry_change(actor=administrator, entry=entry, reason=" ", retention_period="1年")
    assert _errors(exc)["reason"] == ["変更の理由を入力してください。"]
    assert snapshot() == before


def test_change_records_the_date_the_reason_and_the_difference(administrator: Any, today: dt.date) -> None:
    entry = make_entry(registered_on=days_ago(30), starts_on=days_ago(30))
    services.register_entry_change(
        actor=administrator,
        entry=entry,
        reason="保存期間の見直し",
        retention_period="返却の日から1年",
        sensitive=True,
        collection_sources=["third_party", "person"],
    )
    entry.refresh_from_db()
    assert entry.changed_on == today
    assert entry.collection_sources == ["person", "third_party"]
    event = AuditEvent.objects.get(action="register_entry.change")
    assert event.detail == {
        "number": entry.number,
        "fields": ["collection_sources", "sensitive", "retention_period"],
    }
    rows = selectors.entry_history(entry)
    assert [r.kind_label for r in rows] == ["登録", "変更"]
    change = rows[-1]
    assert change.reason == "保存期間の見直し" and change.user == administrator.get_username()
    assert change.on == today
    assert [(c.label, c.old, c.new) for c in change.changes] == [
        ("収集先", "本人", "本人、本人以外の者"),
        ("要配慮個人情報の有無", "なし", "あり"),
        ("保存期間", "返却まで", "返却の日から1年"),
        ("変更日", "—", "令和8年11月20日"),
    ]


def test_the_first_change_of_a_core_entry_shows_its_difference(administrator: Any) -> None:
    entry = RegisterEntry.objects.get(code=entries.PRIVACY_REQUESTS)
    assert not entry.history.exists()  # registered by the data migration
    services.register_entry_change(
        actor=administrator, entry=entry, reason="保存期間の変更", retention_period="決定の日から10年"
    )
    rows = selectors.entry_history(entry)
    assert rows[0].kind == "create" and rows[0].on == entry.registered_on
    assert next((c.field, c.old, c.new) for c in rows[1].changes) == (
        "retention_period",
        "決定の日から5年",
        "決定の日から10年",
    )


def test_a_change_that_changes_nothing_is_refused(administrator: Any) -> None:
    entry = make_entry(registered_on=days_ago(30), starts_on=days_ago(30))
    with pytest.raises(ValidationError) as exc:
        services.register_entry_change(actor=administrator, entry=entry, reason="確認", name=entry.name)
    assert _errors(exc)["__all__"] == ["変更された項目がありません。"]


def test_a_change_may_not_move_the_start_before_registration(administrator: Any) -> None:
    entry = make_entry(registered_on=days_ago(30), starts_on=days_ago(30))
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.register_entry_change(
            actor=administrator, entry=entry, reason="訂正", starts_on=days_ago(31)
        )
    assert _errors(exc)["starts_on"] == [services.start_before_registration()]
    assert snapshot() == before


def test_fixed_items_unknown_items_and_long_reasons_are_refused(administrator: Any) -> None:
    entry = make_entry(registered_on=days_ago(30), starts_on=days_ago(30))
    with pytest.raises(ValidationError) as exc:
        services.register_entry_change(
            actor=administrator, entry=entry, reason="あ" * 101, code="other", colour="red"
        )
    errors = _errors(exc)
    assert errors["code"] == ["「code」は変更できない項目です。"]
    assert errors["__all__"] == ["「colour」は変更できない項目です。"]
    assert errors["reason"] == ["理由は100文字以内で入力してください。"]


def test_a_change_date_before_registration_or_in_the_future_is_refused(
    administrator: Any, today: dt.date
) -> None:
    entry = make_entry(registered_on=days_ago(30), starts_on=days_ago(30))
    for changed_on, message in (
        (days_ago(31), "変更日は登録日以後の日付にしてください。"),
        (today + dt.timedelta(days=1), "変更日に未来の日付は入力できません。"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.register_entry_change(
                actor=administrator,
                entry=entry,
                reason="見直し",
                changed_on=changed_on,
                record_range="利用者",
            )
        assert _errors(exc)["changed_on"] == [message]


# --- abolition -------------------------------------------------------------------------------------


def test_abolition_before_registration_is_refused_and_changes_nothing(administrator: Any) -> None:
    entry = make_entry(registered_on=days_ago(30), starts_on=days_ago(30))
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.register_entry_abolish(
            actor=administrator, entry=entry, abolished_on=days_ago(31), reason="終了"
        )
    assert _errors(exc)["abolished_on"] == [
        f"廃止日は登録日（{days_ago(30):%Y-%m-%d}）以後の日付にしてください。"
    ]
    assert snapshot() == before


def test_abolition_strikes_out_the_registration(administrator: Any) -> None:
    entry = make_entry(registered_on=days_ago(30), starts_on=days_ago(30))
    services.register_entry_abolish(
        actor=administrator, entry=entry, abolished_on=days_ago(1), reason="事務の終了"
    )
    entry.refresh_from_db()
    assert entry.status == RegisterEntry.Status.ABOLISHED and entry.abolished_on == days_ago(1)
    rows = selectors.entry_history(entry)
    assert rows[-1].kind == "abolish" and rows[-1].reason == "事務の終了" and rows[-1].on == days_ago(1)
    assert AuditEvent.objects.filter(action="register_entry.abolish", target_id=str(entry.pk)).exists()
    with pytest.raises(ValidationError) as exc:
        services.register_entry_change(actor=administrator, entry=entry, reason="再開", name="別名")
    assert _errors(exc)["__all__"] == [
        "廃止された事務は変更できません。登録は抹消済みです（山梨県 要綱第16条第4項）。"
    ]
    with pytest.raises(ValidationError) as exc:
        services.register_entry_abolish(
            actor=administrator, entry=entry, abolished_on=days_ago(1), reason="再度"
        )
    assert _errors(exc)["__all__"] == ["この事務は既に廃止されています。"]


def test_abolition_needs_a_reason_and_a_date_not_in_the_future(administrator: Any, today: dt.date) -> None:
    entry = make_entry(registered_on=days_ago(30), starts_on=days_ago(30))
    with pytest.raises(ValidationError) as exc:
        services.register_entry_abolish(
            actor=administrator, entry=entry, abolished_on=today + dt.timedelta(days=1), reason=""
        )
    errors = _errors(exc)
    assert errors["reason"] == ["廃止の理由を入力してください。"]
    assert errors["abolished_on"] == ["廃止日に未来の日付は入力できません。"]
    with pytest.raises(ValidationError) as exc:
        services.register_entry_abolish(actor=administrator, entry=entry, abolished_on=None, reason="終了")
    assert _errors(exc)["abolished_on"] == ["廃止日を入力してください。"]


def test_an_entry_the_code_still_declares_cannot_be_abolished(administrator: Any) -> None:
    entry = RegisterEntry.objects.get(code=entries.LIBRARY_USE)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.register_entry_abolish(
            actor=administrator, entry=entry, abolished_on=days_ago(1), reason="終了"
        )
    [message] = _errors(exc)["__all__"]
    assert message.startswith("システムのフィールドがこの事務の記録項目として宣言されています（")
    assert "loans.Loan.item" in message or "ほか" in message
    assert snapshot() == before


def test_an_entry_a_running_contract_names_cannot_be_abolished(administrator: Any, central: Any) -> None:
    entry = make_entry(registered_on=days_ago(30), starts_on=days_ago(30))
    contract = make_contract(branches=[central], register_entry=entry, in_force=False)
    with pytest.raises(ValidationError) as exc:
        services.register_entry_abolish(
            actor=administrator, entry=entry, abolished_on=days_ago(1), reason="終了"
        )
    assert _errors(exc)["__all__"] == [
        f"終了していない委託契約がこの事務を参照しています（{contract.number}）。契約を終了してから廃止してください。"
    ]
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.ENDED)
    services.register_entry_abolish(actor=administrator, entry=entry, abolished_on=days_ago(1), reason="終了")
    entry.refresh_from_db()
    assert not entry.is_active


def test_every_action_has_a_label() -> None:
    for action in ("register_entry.create", "register_entry.change", "register_entry.abolish"):
        assert ACTION_LABELS[action]
    assert ACTION_GROUP_LABELS["register_entry."]
