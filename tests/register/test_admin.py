"""register.admin — the register in the admin is read only: entries are listed, searched and shown with
their history, but nothing is added, changed or deleted there (the register pages validate, keep the
reason and write the access log)."""

from __future__ import annotations

from typing import Any

import pytest

from register.models import RegisterEntry

from .factories import make_entry

pytestmark = pytest.mark.django_db

URL = "/admin/register/registerentry/"


@pytest.fixture
def admin_client(client: Any, administrator: Any) -> Any:
    administrator.is_staff = True
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    return client


def test_entries_are_listed_and_searched(admin_client: Any) -> None:
    entry = make_entry(name="読書会の参加者名簿")
    make_entry(name="視聴覚資料の貸出し")

    response = admin_client.get(URL, {"q": "読書会"})

    assert response.status_code == 200
    body = response.content.decode()
    assert entry.name in body and "視聴覚資料の貸出し" not in body


def test_an_entry_and_its_history_are_shown_but_never_written(admin_client: Any) -> None:
    entry = make_entry()

    assert admin_client.get(f"{URL}{entry.pk}/change/").status_code == 200
    assert admin_client.get(f"{URL}{entry.pk}/history/").status_code == 200
    assert admin_client.get(f"{URL}add/").status_code == 403
    assert admin_client.post(f"{URL}{entry.pk}/change/", {"name": "改ざん"}).status_code == 403
    assert admin_client.post(f"{URL}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.name != "改ざん" and RegisterEntry.objects.filter(pk=entry.pk).exists()
