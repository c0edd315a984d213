"""Reading the outbox: newest first, headers decoded, text body, ids that cannot name another file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import timezone

from privacy_admin.devmail import backend
from privacy_admin.devmail import outbox as outbox_module
from privacy_admin.devmail.outbox import outbox_in_use, outbox_list, outbox_message

BACKEND = "privacy_admin.devmail.backend.OutboxEmailBackend"


@pytest.fixture
def outbox(settings, tmp_path: Path) -> Path:
    settings.EMAIL_BACKEND = BACKEND
    settings.EMAIL_OUTBOX_DIR = tmp_path / "outbox"
    return settings.EMAIL_OUTBOX_DIR


def test_in_use_only_with_the_outbox_backend(settings) -> None:
    settings.EMAIL_BACKEND = BACKEND
    assert outbox_in_use()
    for other in (
        "django.core.mail.backends.smtp.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "no.such.Backend",
    ):
        settings.EMAIL_BACKEND = other
        assert not outbox_in_use()


def test_empty_or_missing_outbox_lists_nothing(outbox: Path) -> None:
    assert outbox_list(limit=10) == ([], 0)


def test_list_is_newest_first_with_decoded_subjects(outbox: Path, monkeypatch) -> None:
    start = timezone.now()
    for n in range(3):
        at = start + dt.timedelta(minutes=n)
        monkeypatch.setattr(backend, "timezone", SimpleNamespace(now=lambda at=at: at))
        EmailMessage(
            f"【あさひ市立図書館】お知らせ {n}", "本文", "lib@example.jp", [f"p{n}@example.jp"]
        ).send()
    entries, total = outbox_list(limit=2)
    assert total == 3
    assert [e.subject for e in entries] == [
        "【あさひ市立図書館】お知らせ 2",
        "【あさひ市立図書館】お知らせ 1",
    ]
    assert [e.to for e in entries] == ["p2@example.jp", "p1@example.jp"]
    assert entries[0].sent_at == start + dt.timedelta(minutes=2)


def test_message_has_its_text_body_and_headers(outbox: Path) -> None:
    message = EmailMultiAlternatives(
        "件名", "山田 太郎 様\n<b>そのまま</b>", "lib@example.jp", ["t@example.jp"]
    )
    message.attach_alternative("<p>HTML</p>", "text/html")
    message.attach("list.csv", "a,b\n", "text/csv")
    message.send()
    (entry,), _total = outbox_list(limit=1)
    found = outbox_message(entry.id)
    assert found is not None
    assert found.body.rstrip("\n") == "山田 太郎 様\n<b>そのまま</b>"
    assert not found.is_html
    assert found.from_email == "lib@example.jp"
    assert found.entry.to == "t@example.jp"
    assert found.attachments == ["list.csv"]


def test_html_only_message_shows_its_source(outbox: Path) -> None:
    message = EmailMessage("件名", "<p>HTML</p>", "lib@example.jp", ["t@example.jp"])
    message.content_subtype = "html"
    message.send()
    (entry,), _total = outbox_list(limit=1)
    found = outbox_message(entry.id)
    assert found is not None and found.is_html and "<p>HTML</p>" in found.body


@pytest.mark.parametrize(
    "message_id", ["../secret_key", "20260401T093000123456-1a2b3c4d/../../x", "", "secret_key", "x" * 31]
)
def test_ids_that_are_not_outbox_names_are_refused(outbox: Path, message_id: str) -> None:
    assert outbox_message(message_id) is None


def test_missing_message_is_none(outbox: Path) -> None:
    assert outbox_message("20260401T093000123456-1a2b3c4d") is None


def test_files_that_are_not_messages_are_ignored(outbox: Path) -> None:
    outbox.mkdir(parents=True)
    (outbox / ".tmp-abc.eml").write_text("Subject: half\n", encoding="utf-8")
    (outbox / "notes.eml").write_text("Subject: x\n", encoding="utf-8")
    assert outbox_list(limit=10) == ([], 0)
    assert outbox_module.outbox_message("notes") is None
