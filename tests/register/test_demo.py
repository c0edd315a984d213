"""The demo register: entries from the seeds, one change and one abolition, idempotent."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from privacy_admin.core import register_entries as entries
from register import demo, inventory, selectors
from register.models import RegisterEntry
from tests.register.helpers import freeze_today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def test_seed_register_adds_the_seed_entries(administrator: Any, today: dt.date) -> None:
    out = io.StringIO()
    created = demo.seed_register(today=today, stdout=out)
    assert created == len(demo.FORM_ENTRIES) + 2
    assert f"今回追加 {created}" in out.getvalue()
    names = set(RegisterEntry.objects.values_list("name", flat=True))
    assert {
        "資料のリクエストに関する事務",
        "図書館資料の複写サービスに関する事務",
        "館内サービス（インターネットブース・書庫資料の閲覧）に関する事務",
        "類縁機関への紹介状の発行に関する事務",
        "学校図書館の運営及び活用に係る支援業務",
    } <= names
    # Every demo entry obeys the register's rules.
    for entry in RegisterEntry.objects.all():
        assert entry.starts_on >= entry.registered_on and entry.registered_on <= today

    school = RegisterEntry.objects.get(code=demo.SCHOOL_CODE)
    assert school.outsourced and inventory.entry_record_items(school) == [
        "氏名",
        "学習内容（貸出記録に限定）",
    ]
    requests = RegisterEntry.objects.get(code="book-requests")
    assert "リクエストカード" in inventory.entry_record_items(requests)
    assert RegisterEntry.objects.get(code="disability-services").sensitive


def test_the_demo_has_a_change_and_an_abolition_with_reasons(administrator: Any, today: dt.date) -> None:
    demo.seed_register(today=today)
    survey = RegisterEntry.objects.get(code=demo.SURVEY_CODE)
    assert survey.status == RegisterEntry.Status.ABOLISHED and survey.abolished_on is not None
    assert selectors.entry_history(survey)[-1].reason == demo.SURVEY_ABOLITION_REASON
    library_use = RegisterEntry.objects.get(code=entries.LIBRARY_USE)
    assert library_use.outsourced and library_use.online_connection and library_use.changed_on is not None
    change = selectors.entry_history(library_use)[-1]
    assert change.reason == demo.LIBRARY_USE_CHANGE_REASON
    assert {c.field for c in change.changes} >= {
        "online_connection",
        "online_connection_note",
        "outsourcing_note",
    }
    assert change.user == administrator.get_username()


def test_seed_register_is_idempotent(administrator: Any, today: dt.date) -> None:
    demo.seed_register(today=today)
    count = RegisterEntry.objects.count()
    history = RegisterEntry.history.count()
    assert demo.seed_register(today=today) == 0
    assert RegisterEntry.objects.count() == count
    assert RegisterEntry.history.count() == history


def test_seed_register_works_without_an_administrator_on_the_first_day_of_the_year(db: Any) -> None:
    april_first = dt.date(2026, 4, 1)
    assert demo.seed_register(today=april_first) == len(demo.FORM_ENTRIES) + 2
    survey = RegisterEntry.objects.get(code=demo.SURVEY_CODE)
    assert (survey.registered_on, survey.abolished_on) == (dt.date(2025, 4, 1), april_first)
    assert RegisterEntry.objects.get(code=entries.LIBRARY_USE).changed_on == april_first
