"""The development outbox backend: one file per message, owner-only, and nothing printed or logged."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives

from privacy_admin.devmail.backend import RECIPIENTS_HEADER, OutboxEmailBackend

BACKEND = "privacy_admin.devmail.backend.OutboxEmailBackend"


@pytest.fixture
def outbox(settings, tmp_path: Path) -> Path:
    settings.EMAIL_BACKEND = BACKEND
    settings.EMAIL_OUTBOX_DIR = tmp_path / "outbox"
    return settings.EMAIL_OUTBOX_DIR


def _files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.eml"))


def test_each_message_is_one_owner_only_file(outbox: Path) -> None:
    sent = mail.send_mail("件名", "山田 太郎 様\n星の王子さま", "lib@example.jp", ["taro@example.jp"])
    EmailMessage("二通目", "本文", "lib@example.jp", ["hanako@example.jp"]).send()
    assert sent == 1
    files = _files(outbox)
    assert len(files) == 2
    assert stat.S_IMODE(outbox.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert not list(outbox.glob(".tmp-*"))  # written aside and renamed into place


def test_nothing_is_printed_or_logged(outbox: Path, capfd, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    mail.send_mail("件名", "山田 太郎 様\n星の王子さま", "lib@example.jp", ["taro@example.jp"])
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert caplog.records == []


def test_bcc_recipients_are_kept_beside_the_message(outbox: Path) -> None:
    EmailMessage("件名", "本文", "lib@example.jp", ["a@example.jp"], bcc=["b@example.jp"]).send()
    text = _files(outbox)[0].read_text(encoding="utf-8")
    assert f"{RECIPIENTS_HEADER}: a@example.jp, b@example.jp" in text
    assert "Bcc:" not in text


def test_a_message_without_recipients_is_not_stored(outbox: Path) -> None:
    assert OutboxEmailBackend().send_messages([EmailMessage("件名", "本文", "lib@example.jp", [])]) == 0
    assert not outbox.exists() or _files(outbox) == []


def test_html_alternative_is_stored_whole(outbox: Path) -> None:
    message = EmailMultiAlternatives("件名", "テキスト", "lib@example.jp", ["a@example.jp"])
    message.attach_alternative("<p>HTML</p>", "text/html")
    message.send()
    assert "multipart/alternative" in _files(outbox)[0].read_text(encoding="utf-8")


def test_unwritable_outbox_raises_unless_fail_silently(settings, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x", encoding="utf-8")
    settings.EMAIL_OUTBOX_DIR = blocker / "outbox"
    message = EmailMessage("件名", "本文", "lib@example.jp", ["a@example.jp"])
    with pytest.raises(OSError):
        OutboxEmailBackend().send_messages([message])
    assert OutboxEmailBackend(fail_silently=True).send_messages([message]) == 0
