"""The access log as a person reads it (privacy_admin.audit.display): names, labels and the records'
own numbers, never an internal id; one query per kind of record whatever the page's size."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from privacy_admin.audit import services
from privacy_admin.audit.display import detail_items, event_rows
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.roles import Role
from register.models import RegisterEntry
from tests.disclosure_requests.factories import make_request
from tests.factories import make_patron
from tests.loans.factories import make_item
from tests.register.factories import make_entry

pytestmark = pytest.mark.django_db
JST = dt.timezone(dt.timedelta(hours=9))


def audit_record(**fields: Any) -> AuditEvent:
    with transaction.atomic():
        return services.audit_record(**fields)


def test_a_row_names_who_what_which_record_and_where_in_japanese(counter_staff, central) -> None:
    counter_staff.last_name, counter_staff.first_name = "山田", "花子"
    counter_staff.save()
    request = make_request(number="R8-開示-0008")
    event = audit_record(
        actor=counter_staff,
        action="privacy_request.extend",
        target_type="privacy_request",
        target_id=request.pk,
        detail={"days": 30, "previous_due_on": "2026-12-07", "dry_run": False, "decision_id": 41},
    )
    (row,) = event_rows([event])
    assert (row.actor, row.role, row.action_label) == ("山田 花子", "カウンター職員", "決定期限の延長")
    assert (row.target_kind, row.target, row.branch) == ("開示等の請求", "R8-開示-0008", "中央図書館")
    assert [(d.label, d.value) for d in row.detail] == [
        ("日数", "30"),
        ("試行のみ", "いいえ"),
        ("延長前の期限", "令和8年12月7日"),
    ]
    shown = f"{row.target} {row.branch} {row.detail_text}"
    assert str(request.pk) not in row.target and "central" not in shown and "41" not in shown


def test_the_role_is_the_one_held_at_the_time(counter_staff) -> None:
    event = audit_record(actor=counter_staff, action="patron.view")
    counter_staff.groups.set([Group.objects.get_or_create(name=Role.ADMINISTRATOR)[0]])
    (row,) = event_rows([event])
    assert row.role == "カウンター職員"


def test_an_old_event_without_a_role_says_so() -> None:
    old = AuditEvent(seq=1, occurred_at=dt.datetime(2025, 4, 1, 9, tzinfo=JST), action="patron.view", role="")
    (row,) = event_rows([old])
    assert row.role == "（当時の役割不明）"
    assert row.actor == "（システム）"


def test_a_patron_shows_as_the_masked_card_number_and_an_item_as_its_barcode(counter_staff, central) -> None:
    patron = make_patron(registered_branch=central)
    item = make_item(home_branch=central)
    event = audit_record(
        actor=counter_staff,
        action="circulation.lend",
        target_type="item",
        target_id=item.pk,
        patron_id=patron.pk,
    )
    (row,) = event_rows([event])
    assert row.patron == "****" + patron.card_number[-4:]
    assert (row.target_kind, row.target) == ("資料", item.barcode)


def test_a_register_entry_shows_its_number() -> None:
    entry = make_entry()
    event = audit_record(
        actor=None, action="register.update", target_type="register_entry", target_id=entry.pk
    )
    (row,) = event_rows([event])
    assert row.target == f"第{entry.number}号"


def test_a_deleted_record_is_named_deleted_with_its_kind(counter_staff) -> None:
    gone = audit_record(
        actor=counter_staff, action="patron.view", target_type="patron", target_id=987654, patron_id=987654
    )
    entry = make_entry()
    event = audit_record(
        actor=None, action="register.update", target_type="register_entry", target_id=entry.pk
    )
    RegisterEntry.objects.filter(pk=entry.pk).delete()
    first, second = event_rows([gone, event])
    assert (first.target_kind, first.target, first.patron) == ("利用者", "（削除済み）", "（削除済み）")
    assert (second.target_kind, second.target) == ("個人情報取扱事務登録簿", "（削除済み）")


def test_a_kind_nobody_resolves_never_shows_its_internal_id() -> None:
    event = audit_record(actor=None, action="patron.view", target_type="no_such_kind", target_id=31337)
    (row,) = event_rows([event])
    assert row.target_kind == "no_such_kind" and row.target == ""


def test_detail_codes_become_labels_and_unknown_keys_keep_their_key() -> None:
    items = detail_items(
        {
            "action": "patron.view",
            "format": "pdf",
            "patron_ids": [1, 2, 3],
            "mystery": "x",
            "role": "privacy_officer",
        }
    )
    assert [(i.label, i.value) for i in items] == [
        ("操作", "利用者情報の閲覧"),
        ("形式", "PDF"),
        ("mystery", "x"),
        ("対象の利用者", "3件"),
        ("役割", "個人情報保護責任者"),
    ]


def test_naming_a_page_costs_one_query_per_kind_not_per_row(counter_staff, central) -> None:
    def page(n: int) -> list[AuditEvent]:
        events = []
        for _ in range(n):
            patron = make_patron(registered_branch=central)
            item = make_item(home_branch=central)
            request = make_request(patron=patron)
            entry = make_entry()
            events += [
                audit_record(
                    actor=counter_staff,
                    action="patron.view",
                    target_type="patron",
                    target_id=patron.pk,
                    patron_id=patron.pk,
                ),
                audit_record(
                    actor=counter_staff,
                    action="circulation.lend",
                    target_type="item",
                    target_id=item.pk,
                    patron_id=patron.pk,
                ),
                audit_record(
                    actor=counter_staff,
                    action="privacy_request.view",
                    target_type="privacy_request",
                    target_id=request.pk,
                ),
                audit_record(
                    actor=None, action="register.update", target_type="register_entry", target_id=entry.pk
                ),
                audit_record(
                    actor=counter_staff, action="auth.login", target_type="user", target_id=counter_staff.pk
                ),
            ]
        return events

    small, large = page(1), page(10)
    assert len(large) == 50
    with CaptureQueriesContext(connection) as one:
        event_rows(small)
    with CaptureQueriesContext(connection) as fifty:
        rows = event_rows(large)
    # patron, item, privacy_request, register_entry, user, branch, and the staff names.
    assert len(fifty) == len(one) == 7
    assert all(row.target and row.target != "（削除済み）" for row in rows)
