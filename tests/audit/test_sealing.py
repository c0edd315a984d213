"""privacy_admin.audit.sealing: an event's seal is HMAC-SHA256 over the previous seal, the event it
follows and the event's columns in COPY text form — so changing any of them changes the seal."""

from __future__ import annotations

import hashlib
import hmac

from privacy_admin.audit.sealing import GENESIS, canonical_from_values, key_bytes, seal, text_field

KEY = key_bytes("test-chain-key")


def test_columns_are_written_as_copy_text() -> None:
    assert text_field(None) == "\\N"
    assert text_field(42) == "42"
    assert text_field("a\tb\nc\\d") == "a\\tb\\nc\\\\d"
    assert canonical_from_values((1, None, "view")) == b"1\t\\N\tview"


def test_the_seal_is_the_hmac_of_previous_seal_previous_seq_and_the_event() -> None:
    canon = canonical_from_values((1, "2026-11-21 00:00:00+00", None, "", "system", "audit.view"))
    expected = hmac.new(KEY, GENESIS.encode() + b"|0|" + canon, hashlib.sha256).hexdigest()
    assert seal(KEY, GENESIS, 0, canon) == expected
    assert seal(KEY, GENESIS, b"0", canon) == expected  # the sequence as the database's text
    assert key_bytes(KEY) is KEY


def test_changing_anything_sealed_changes_the_seal() -> None:
    canon = canonical_from_values((2, "audit.view", "192.0.2.1"))
    base = seal(KEY, GENESIS, 1, canon)
    assert seal(KEY, GENESIS, 1, canonical_from_values((2, "audit.view", "192.0.2.2"))) != base
    assert seal(KEY, "f" * 64, 1, canon) != base
    assert seal(KEY, GENESIS, 0, canon) != base
    assert seal(key_bytes("another-key"), GENESIS, 1, canon) != base
