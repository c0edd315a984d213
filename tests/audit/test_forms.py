"""The access-log filter form (audit.forms): each field refused with a Japanese message that never echoes
a card number; the filters it yields; the search detail an ``audit.view`` event records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from privacy_admin.audit.forms import AuditLogFilterForm, audit_view_detail, staff_choices
from privacy_admin.audit.selectors import EventFilters
from tests.factories import make_patron

pytestmark = pytest.mark.django_db


def _form(**data: Any) -> AuditLogFilterForm:
    form = AuditLogFilterForm(data=data)
    form.is_valid()
    return form


def test_an_empty_filter_is_valid_and_filters_nothing() -> None:
    form = _form()
    assert form.is_valid()
    assert form.filters() == EventFilters(
        actor_id=None,
        patron_id=None,
        action="",
        target_type="",
        date_from=None,
        date_to=None,
        before_seq=None,
    )


def test_a_staff_account_and_a_card_number_become_ids(counter_staff: Any, central: Any) -> None:
    patron = make_patron(registered_branch=central)
    form = _form(actor="counter", patron=f" {patron.card_number} ")
    assert form.is_valid(), form.errors
    filters = form.filters()
    assert (filters.actor_id, filters.patron_id) == (counter_staff.pk, patron.pk)


def test_an_erased_patron_is_named_by_internal_id() -> None:
    assert _form(patron="#123").filters().patron_id == 123


def test_an_unknown_account_is_refused(db: Any) -> None:
    assert _form(actor="nobody").errors["actor"] == ["この操作者IDのアカウントは見つかりません。"]


def test_an_unknown_card_number_is_refused_without_echoing_it(db: Any) -> None:
    (message,) = _form(patron="2119999999").errors["patron"]
    assert str(message).startswith("この利用者番号の利用者は見つかりません。")
    assert "2119999999" not in str(message)


@pytest.mark.parametrize("action", ["patron.view", "patron.", "auth", "loan.checkout"])
def test_action_codes_and_groups_are_accepted(action: str) -> None:
    assert _form(action=action).cleaned_data["action"] == action


def test_an_action_may_be_given_by_its_label() -> None:
    assert _form(action="ログイン").cleaned_data["action"] == "auth.login"


@pytest.mark.parametrize("action", ["Patron.View", "patron view", "../etc", ".patron"])
def test_anything_else_is_refused_as_an_action(action: str) -> None:
    assert _form(action=action).errors["action"] == [
        "操作コードは英小文字・数字・「_」「.」で入力してください（例: patron.view、patron.）。"
    ]


def test_too_long_input_names_the_limit() -> None:
    assert _form(action="a" * 65).errors["action"] == ["64文字以内で入力してください。"]


def test_dates_in_either_format_and_in_order() -> None:
    form = _form(date_from="2026/04/01", date_to="2026-04-30")
    assert form.is_valid(), form.errors
    assert (form.filters().date_from, form.filters().date_to) == (dt.date(2026, 4, 1), dt.date(2026, 4, 30))


def test_an_end_before_the_start_is_refused() -> None:
    assert _form(date_from="2026-04-30", date_to="2026-04-01").errors["date_to"] == [
        "終了日は開始日と同じ日か、それより後の日付にしてください。"
    ]


def test_a_date_outside_the_log_is_refused() -> None:
    assert _form(date_from="1999-12-31").errors["date_from"] == [
        "日付は2000年1月1日から2100年12月31日までの範囲で入力してください。"
    ]


@pytest.mark.parametrize("seq", ["0", "-1", "x", str(2**63)])
def test_a_bad_page_asks_for_a_new_search(seq: str) -> None:
    assert _form(before_seq=seq).errors["before_seq"] == [
        "ページの指定が正しくありません。もう一度検索してください。"
    ]


def test_the_staff_choices_name_each_account_once(
    counter_staff: Any, privacy_officer: Any, no_role_user: Any
) -> None:
    usernames = [username for username, _label in staff_choices()]
    assert "counter" in usernames and "officer" in usernames
    assert "norole" not in usernames
    assert len(usernames) == len(set(usernames))


def test_the_view_event_records_flags_never_the_card_number() -> None:
    filters = EventFilters(
        actor_id=3,
        patron_id=7,
        action="patron.",
        target_type="patron",
        date_from=dt.date(2026, 4, 1),
        date_to=None,
        before_seq=None,
    )
    assert audit_view_detail(filters) == {
        "actor": True,
        "patron": True,
        "action": "patron.",
        "target": "patron",
        "date_from": "2026-04-01",
        "date_to": "",
        "next_page": False,
    }
