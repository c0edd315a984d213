"""The access log's CSV export for the officer's monthly check (privacy_admin.audit.views.export)."""

from __future__ import annotations

import codecs
import csv
import io
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from privacy_admin.audit import selectors, services
from privacy_admin.audit.models import AuditEvent, Outcome
from tests.factories import make_patron

pytestmark = pytest.mark.django_db

URL = "/audit/export.csv"
REFUSED = ["counter_staff", "administrator", "contractor_operator", "no_role_user"]


def audit_record(**fields: Any) -> AuditEvent:
    with transaction.atomic():
        return services.audit_record(**fields)


def _rows(response: Any) -> list[list[str]]:
    body = response.content
    assert body.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_export_is_named() -> None:
    assert reverse("audit:export") == URL


@pytest.mark.parametrize("persona", REFUSED, indirect=True)
def test_other_roles_are_refused_and_the_refusal_is_logged(login, persona) -> None:
    response = login(persona).post(URL, {})
    assert response.status_code == 403
    assert AuditEvent.objects.get(action="access.denied").target_id == "audit:export"
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_anonymous_is_sent_to_login(client) -> None:
    assert client.post(URL, {}).status_code == 302


def test_get_is_refused(login, privacy_officer) -> None:
    assert login(privacy_officer).get(URL).status_code == 405


@pytest.mark.parametrize("persona", ["privacy_officer"], indirect=True)
def test_the_officer_exports_the_filtered_log_in_japanese(login, persona, counter_staff, central) -> None:
    patron = make_patron(registered_branch=central)
    wanted = audit_record(
        actor=counter_staff,
        action="patron.view",
        target_type="patron",
        target_id=patron.pk,
        patron_id=patron.pk,
        detail={"view": "=HYPERLINK(1)"},
    )
    audit_record(actor=counter_staff, action="auth.login", target_type="user", target_id=counter_staff.pk)
    response = login(persona).post(URL, {"patron": patron.card_number, "action": "patron."})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="access-log-')
    header, *rows = _rows(response)
    assert header[:6] == ["番号", "日付", "時刻", "操作者", "当時の役割", "操作"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    masked = "****" + patron.card_number[-4:]
    assert (row["番号"], row["操作"], row["当時の役割"], row["対象"], row["利用者"], row["館"]) == (
        str(wanted.seq),
        "利用者情報の閲覧",
        "カウンター職員",
        masked,
        masked,
        "中央図書館",
    )
    assert row["詳細"] == "画面: =HYPERLINK(1)"  # inside a longer cell: not a formula
    assert response.content.count(b"\r\n") == 2
    assert patron.card_number.encode() not in response.content


def test_the_export_is_itself_logged_without_personal_data(
    login, privacy_officer, counter_staff, central
) -> None:
    patron = make_patron(registered_branch=central)
    audit_record(actor=counter_staff, action="patron.view", patron_id=patron.pk)
    login(privacy_officer).post(URL, {"patron": patron.card_number, "date_from": "2026-01-01", "target": ""})
    event = AuditEvent.objects.get(action="audit.export")
    assert (event.actor_id, event.target_type, event.outcome) == (
        privacy_officer.pk,
        "audit_log",
        Outcome.SUCCESS,
    )
    assert event.detail == {
        "actor": False,
        "patron": True,
        "action": "",
        "target": "",
        "date_from": "2026-01-01",
        "date_to": "",
        "next_page": False,
        "rows": 1,
        "format": "csv",
    }
    assert patron.card_number not in str(event.detail)
    assert not AuditEvent.objects.filter(action="audit.view").exists()


def test_a_cell_excel_would_read_as_a_formula_is_quoted() -> None:
    from privacy_admin.core.csv import write_csv

    body = write_csv(["a"], [["=1+1"], ["-2"], ["普通"]])
    assert body.decode("utf-8-sig").split("\r\n")[1:4] == ["'=1+1", "'-2", "普通"]


def test_bad_filters_change_nothing_and_say_why(login, privacy_officer) -> None:
    response = login(privacy_officer).post(URL, {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert response.status_code == 400
    assert "開始日と同じ日か" in response.content.decode()
    assert not AuditEvent.objects.filter(action__in=["audit.export", "audit.view"]).exists()


def test_too_many_rows_are_refused_with_a_message(login, privacy_officer, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "EXPORT_MAX_ROWS", 2)
    for _ in range(3):
        audit_record(actor=None, action="patron.view")
    response = login(privacy_officer).post(URL, {"action": "patron.view"})
    assert response.status_code == 400
    assert "期間を短くして出力してください" in response.content.decode()
    assert not AuditEvent.objects.filter(action="audit.export").exists()
