"""The patron's password reset by link (要綱 第8条3; issue 14 §5): the same answer whatever matched, a
one-time link valid 30 minutes to the registered address only, the password changed only through it."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patrons import services
from patrons.models import Patron, PatronStatus
from patrons.services.password_reset import make_token
from privacy_admin.audit.models import AuditEvent, Outcome
from tests.factories import make_patron

pytestmark = pytest.mark.django_db

RESET = reverse("patrons:password_reset")
NEW = "mori-no-hon-2026"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def patron(central: Any) -> Patron:
    return make_patron(registered_branch=central, email="hanako@example.jp")


def _ask(client: Client, card: str, email: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(RESET, {"card_number": card, "email": email}, follow=True)


def _link(message: Any) -> str:
    match = re.search(r"https?://\S+/patrons/password-reset/(\S+)/", message.body)
    assert match is not None, message.body
    return reverse("patrons:password_reset_confirm", kwargs={"token": match.group(1)})


def _answer(response: Any) -> str:
    match = re.search("受け付けました。[^<]*", response.content.decode())
    assert match is not None
    return match.group(0)


def test_the_answer_is_the_same_whether_or_not_card_and_email_match(
    client: Client, patron: Patron, django_capture_on_commit_callbacks: Any
) -> None:
    matched = _ask(client, patron.card_number, "HANAKO@example.jp", django_capture_on_commit_callbacks)
    wrong_mail = _ask(client, patron.card_number, "other@example.jp", django_capture_on_commit_callbacks)
    no_card = _ask(client, "2199999999", "hanako@example.jp", django_capture_on_commit_callbacks)
    assert matched.status_code == wrong_mail.status_code == no_card.status_code == 200
    assert _answer(matched) == _answer(wrong_mail) == _answer(no_card)
    # Only the match sends mail, and only to the registered address.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hanako@example.jp"]


def test_the_mail_and_the_link_carry_no_card_number_or_address(
    client: Client, patron: Patron, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(client, patron.card_number, patron.email, django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    link = _link(message)
    for secret in (patron.card_number, patron.email, patron.family_name):
        assert secret not in message.subject and secret not in message.body.replace(patron.email, "")
        assert secret not in link
    assert "30分" in message.body


def test_the_password_changes_only_through_the_link_and_the_link_works_once(
    client: Client, patron: Patron, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(client, patron.card_number, patron.email, django_capture_on_commit_callbacks)
    patron.refresh_from_db()
    assert not patron.has_password
    link = _link(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200 and page["Referrer-Policy"] == "no-referrer"
    response = client.post(link, {"password": NEW, "password_confirm": NEW}, follow=True)
    assert "パスワードを変更しました" in response.content.decode()
    patron.refresh_from_db()
    assert check_password(NEW, patron.password)
    # Used: the same link is dead, for viewing and for posting.
    again = client.get(link)
    assert again.status_code == 400 and "このリンクは無効です" in again.content.decode()
    reuse = client.post(link, {"password": "betsu-no-hon-77", "password_confirm": "betsu-no-hon-77"})
    assert reuse.status_code == 400
    patron.refresh_from_db()
    assert check_password(NEW, patron.password)


def test_a_link_expires_after_thirty_minutes(patron: Patron) -> None:
    sent = timezone.now()
    token = make_token(patron, now=sent)
    late = sent + dt.timedelta(minutes=30, seconds=1)
    assert services.patron_password_reset_token_valid(token=token, now=sent + dt.timedelta(minutes=29))
    assert not services.patron_password_reset_token_valid(token=token, now=late)
    with pytest.raises(ValidationError) as refused:
        services.complete_patron_password_reset(token=token, new_password=NEW, now=late)
    assert "このリンクは無効です" in str(refused.value.message_dict["token"])
    patron.refresh_from_db()
    assert not patron.has_password


def test_an_expired_link_page_says_so(client: Client, patron: Patron) -> None:
    token = make_token(patron, now=timezone.now() - dt.timedelta(minutes=31))
    response = client.get(reverse("patrons:password_reset_confirm", kwargs={"token": token}))
    assert response.status_code == 400
    assert "有効期限（30分）が過ぎたか" in response.content.decode()


@pytest.mark.parametrize(
    "token",
    ["nonsense", "0" * 32 + "-abc-" + "0" * 32, "x" * 300, "%00", "ｆｕｌｌ－ｗｉｄｔｈ"],
)
def test_a_wrong_token_gets_a_clear_japanese_message(client: Client, patron: Patron, token: str) -> None:
    url = reverse("patrons:password_reset_confirm", kwargs={"token": token})
    assert "このリンクは無効です" in client.get(url).content.decode()
    response = client.post(url, {"password": NEW, "password_confirm": NEW})
    assert response.status_code == 400
    assert "このリンクは無効です" in response.content.decode()
    patron.refresh_from_db()
    assert not patron.has_password


def test_a_forged_token_for_a_real_patron_is_refused(patron: Patron) -> None:
    token = make_token(patron)
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert not services.patron_password_reset_token_valid(token=forged)


def test_a_link_dies_when_the_address_changes_or_the_patron_is_cancelled(patron: Patron) -> None:
    token = make_token(patron)
    Patron.objects.filter(pk=patron.pk).update(email="new@example.jp")
    assert not services.patron_password_reset_token_valid(token=token)
    patron.refresh_from_db()
    token = make_token(patron)
    Patron.objects.filter(pk=patron.pk).update(status=PatronStatus.CANCELLED)
    assert not services.patron_password_reset_token_valid(token=token)


def test_a_weak_new_password_is_explained_and_keeps_the_link_alive(client: Client, patron: Patron) -> None:
    url = reverse("patrons:password_reset_confirm", kwargs={"token": make_token(patron)})
    cases = {
        "123": "6文字以上64文字以内",
        "qwertyuiop": "推測されやすいパスワードです",
        "パスワードパスワード": "繰り返しただけのパスワードは使用できません",
        "          ": "空白だけのパスワードは使用できません",
    }
    for weak, explained in cases.items():
        response = client.post(url, {"password": weak, "password_confirm": weak})
        assert response.status_code == 200, weak
        assert explained in response.content.decode(), weak
    patron.refresh_from_db()
    assert not patron.has_password
    assert client.get(url).status_code == 200


def test_no_mail_without_a_registered_address(
    client: Client, central: Any, django_capture_on_commit_callbacks: Any
) -> None:
    patron = make_patron(registered_branch=central, email="")
    _ask(client, patron.card_number, "", django_capture_on_commit_callbacks)
    _ask(client, patron.card_number, "x@example.jp", django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_nul_and_hostile_input_are_a_plain_no_match(db: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.request_patron_password_reset(card_number="21\x0000000", email="x@example.jp")
        services.request_patron_password_reset(card_number="2100000000", email="x\x00@example.jp")
    assert mail.outbox == []


def test_request_and_completion_are_logged_without_personal_data(
    client: Client, patron: Patron, django_capture_on_commit_callbacks: Any, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    _ask(client, patron.card_number, patron.email, django_capture_on_commit_callbacks)
    _ask(client, patron.card_number, "other@example.jp", django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    client.post(link, {"password": NEW, "password_confirm": NEW})
    requested = AuditEvent.objects.filter(action="patron.password_reset_requested").order_by("pk")
    assert [(e.outcome, e.patron_id, e.detail) for e in requested] == [
        (Outcome.SUCCESS, patron.pk, {"matched": True}),
        (Outcome.FAILURE, None, {"matched": False}),
    ]
    done = AuditEvent.objects.get(action="patron.password_reset_completed")
    assert (done.outcome, done.patron_id) == (Outcome.SUCCESS, patron.pk)
    stored = json.dumps(
        [[e.target_id, e.detail, e.actor_username] for e in AuditEvent.objects.all()], ensure_ascii=False
    )
    logged = caplog.text
    for secret in (patron.card_number, patron.email, "other@example.jp", NEW, link.split("/")[-2]):
        assert secret not in stored
        assert secret not in logged


def test_the_service_can_be_called_directly(patron: Patron, django_capture_on_commit_callbacks: Any) -> None:
    # The patron portal (issue 16) calls these two functions.
    with django_capture_on_commit_callbacks(execute=True):
        services.request_patron_password_reset(card_number=patron.card_number, email=patron.email)
    found = re.search(r"/patrons/password-reset/(\S+)/", str(mail.outbox[0].body))
    assert found is not None
    token = found.group(1)
    services.complete_patron_password_reset(token=token, new_password=NEW)
    patron.refresh_from_db()
    assert check_password(NEW, patron.password)
