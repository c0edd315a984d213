"""Helpers shared by the register PDF tests: read a PDF back as text, and a small register to print."""

from __future__ import annotations

import io
import re

import pypdf

from register.models import RegisterEntry
from register.services import entries as services
from tests.register.helpers import TODAY, days_ago, entry_values, freeze_today  # noqa: F401

ORDINALS = "甲乙丙丁戊己庚辛壬癸"


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text with all white space removed (lines wrap inside table cells)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf), strict=True)
    return [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]


def text(pdf: bytes) -> str:
    return "".join(pages_text(pdf))


def squeeze(value: str) -> str:
    return re.sub(r"\s+", "", value)


def make_register(n: int) -> list[RegisterEntry]:
    """``n`` entries (names without digits, so the contents' page numbers stand out), one changed with a
    reason 50 days ago and one abolished 20 days ago."""
    made = []
    for i in range(n):
        entry = services.register_entry_create(
            actor=None,
            **entry_values(
                name=f"試験用の事務{ORDINALS[i]}",
                registered_on=days_ago(300 - i),
                starts_on=days_ago(290 - i),
            ),
        )
        made.append(entry)
    services.register_entry_change(
        actor=None,
        entry=made[1],
        reason="委託先の変更",
        changed_on=days_ago(50),
        outsourced=True,
        outsourcing_note="株式会社図書館サービス",
    )
    services.register_entry_abolish(actor=None, entry=made[2], abolished_on=days_ago(20), reason="事業の終了")
    return made
