"""privacy_admin.views: the start page — sign-in first; counts of what waits to be destroyed for the roles
that act on it (paper forms: the counter and administrators; backup media: administrators)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.backups.conftest import make_medium

pytestmark = pytest.mark.django_db


def test_the_anonymous_are_sent_to_sign_in(client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_counter_sees_paper_forms_but_not_backup_media(login, counter_staff) -> None:
    make_medium(days_ago=40)
    response = login(counter_staff).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["overdue_paper_forms"] == 0
    assert "overdue_backup_media" not in response.context


def test_an_administrator_sees_backup_media_past_retention(login, administrator) -> None:
    make_medium(days_ago=40)
    make_medium(days_ago=1)
    response = login(administrator).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["overdue_backup_media"] == 1
    assert "保管期限超過 1件" in response.content.decode()


def test_the_privacy_officer_gets_neither_count(login, privacy_officer) -> None:
    response = login(privacy_officer).get(reverse("home"))
    assert response.status_code == 200
    assert "overdue_paper_forms" not in response.context and "overdue_backup_media" not in response.context
