"""The development outbox pages: administrators only, every look logged, bodies escaped."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from privacy_admin.audit.labels import ACTION_GROUP_LABELS, ACTION_LABELS
from privacy_admin.audit.models import AuditEvent, Outcome
from privacy_admin.devmail.outbox import outbox_list

pytestmark = pytest.mark.django_db

URL = "/system/outbox/"
BACKEND = "privacy_admin.devmail.backend.OutboxEmailBackend"
REFUSED = ["counter_staff", "privacy_officer", "contractor_operator", "no_role_user"]
MESSAGE_ID = "20260401T093000123456-1a2b3c4d"


@pytest.fixture
def outbox(settings, tmp_path: Path) -> Path:
    settings.EMAIL_BACKEND = BACKEND
    settings.EMAIL_OUTBOX_DIR = tmp_path / "outbox"
    return settings.EMAIL_OUTBOX_DIR


def _send(body: str = "山田 太郎 様\n星の王子さま") -> str:
    mail.send_mail(
        "【あさひ市立図書館】ご予約の資料をご用意しました", body, "lib@example.jp", ["taro@example.jp"]
    )
    return outbox_list(limit=1)[0][0].id


def test_urls() -> None:
    assert reverse("devmail:outbox") == URL
    assert reverse("devmail:message", args=[MESSAGE_ID]) == f"{URL}{MESSAGE_ID}/"


@pytest.mark.parametrize("path", [URL, f"{URL}{MESSAGE_ID}/"])
def test_anonymous_is_sent_to_login(client, outbox: Path, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", REFUSED, indirect=True)
@pytest.mark.parametrize(("path", "view_name"), [(URL, "devmail:outbox"), ("message", "devmail:message")])
def test_other_roles_are_refused_and_the_refusal_is_logged(
    login, persona, outbox: Path, path: str, view_name: str
) -> None:
    if path == "message":
        path = f"{URL}{_send()}/"
    response = login(persona).get(path)
    assert response.status_code == 403
    assert "山田" not in response.content.decode()
    denied = AuditEvent.objects.get(action="access.denied")
    assert (denied.actor_id, denied.outcome, denied.target_id) == (persona.pk, Outcome.DENIED, view_name)
    assert not AuditEvent.objects.filter(action__startswith="mail.").exists()


def test_empty_outbox_says_so_in_japanese(login, administrator, outbox: Path) -> None:
    response = login(administrator).get(URL)
    assert response.status_code == 200
    assert "送信したメールはまだありません" in response.content.decode()
    view = AuditEvent.objects.get(action="mail.outbox_view")
    assert view.actor_id == administrator.pk
    assert view.detail == {"results": 0, "total": 0}


def test_administrator_sees_the_list_and_the_look_is_logged(login, administrator, outbox: Path) -> None:
    message_id = _send()
    response = login(administrator).get(URL)
    html = response.content.decode()
    assert "taro@example.jp" in html
    assert "ご予約の資料をご用意しました" in html
    assert f'href="{URL}{message_id}/"' in html
    assert "星の王子さま" not in html  # bodies only when a message is opened
    view = AuditEvent.objects.get(action="mail.outbox_view")
    assert (view.target_type, view.patron_id, view.detail) == ("outbox", None, {"results": 1, "total": 1})


def test_opening_a_message_shows_its_body_escaped_and_is_logged(login, administrator, outbox: Path) -> None:
    message_id = _send("山田 太郎 様\n<script>alert(1)</script>")
    response = login(administrator).get(f"{URL}{message_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "山田 太郎 様" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    opened = AuditEvent.objects.get(action="mail.outbox_open")
    assert (opened.actor_id, opened.target_type, opened.target_id) == (administrator.pk, "mail", message_id)


@pytest.mark.parametrize("message_id", [MESSAGE_ID, "secret_key", "..%2Fsecret_key"])
def test_unknown_or_malformed_message_is_404_and_not_logged(
    login, administrator, outbox: Path, message_id: str
) -> None:
    response = login(administrator).get(f"{URL}{message_id}/")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="mail.outbox_open").exists()


def test_with_smtp_the_page_says_so_and_reads_nothing(login, administrator, outbox: Path, settings) -> None:
    message_id = _send()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    client = login(administrator)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "SMTP" in html and "taro@example.jp" not in html
    assert client.get(f"{URL}{message_id}/").status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="mail.").exists()


def test_navigation_offers_the_outbox_to_administrators_only_while_in_use(
    login, administrator, counter_staff, outbox: Path, settings
) -> None:
    link = f'href="{URL}"'
    assert link in login(administrator).get("/").content.decode()
    assert link not in login(counter_staff).get("/").content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert link not in login(administrator).get("/").content.decode()


def test_outbox_actions_have_japanese_labels() -> None:
    assert ACTION_LABELS["mail.outbox_view"] and ACTION_LABELS["mail.outbox_open"]
    assert "mail." in ACTION_GROUP_LABELS
