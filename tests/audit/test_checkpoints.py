"""Signed checkpoints leave the server; a rewrite — even with the HMAC key — is caught against them."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction

from privacy_admin.audit.checkpoints import (
    audit_checkpoint_now,
    latest_daily,
    public_key_text,
    stored_checkpoints,
)
from privacy_admin.audit.models import AuditEvent, AuditSeal, AuditSealState
from privacy_admin.audit.sealer import audit_seal_committed
from privacy_admin.audit.verify import verify_chain
from tests.audit.helpers import run_command

pytestmark = pytest.mark.django_db


def _reseal_everything(django_capture_on_commit_callbacks) -> None:
    """What someone holding the database AND the HMAC key can do: drop every seal and seal again."""
    AuditSeal.objects.all().delete()
    AuditSealState.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        audit_seal_committed()


def test_checkpoint_key_may_come_from_the_environment(record, settings) -> None:
    key = Ed25519PrivateKey.generate()
    settings.AUDIT_CHECKPOINT_KEY = base64.b64encode(key.private_bytes_raw()).decode()
    record(1)
    audit_checkpoint_now()
    assert stored_checkpoints()[0].public_key == public_key_text(key.public_key())
    assert not Path(settings.AUDIT_CHECKPOINT_DEFAULT_KEY_FILE).exists()


def test_a_forged_checkpoint_file_is_refused(record, settings) -> None:
    record(1)
    path = audit_checkpoint_now()
    assert path is not None
    data = json.loads(path.read_text())
    data["seq"] += 1
    path.write_text(json.dumps(data))
    result = verify_chain()
    assert not result.ok and "signature does not verify" in result.problem


def test_a_checkpoint_signed_by_an_unknown_key_is_refused(record, tmp_path) -> None:
    record(1)
    path = audit_checkpoint_now()
    assert path is not None
    stranger = Ed25519PrivateKey.generate()
    from privacy_admin.audit.checkpoints import sign_checkpoint

    data = sign_checkpoint(seq=1, hash_="0" * 64, event_at=None, key=stranger)
    other = tmp_path / "other.json"
    other.write_text(json.dumps(data))
    result = verify_chain(checkpoint_files=[other])
    assert not result.ok and "unknown key" in result.problem


def test_rewrite_with_the_hmac_key_is_caught_against_an_exported_checkpoint(
    record, tamper, tmp_path, django_capture_on_commit_callbacks
) -> None:
    # The attack of issue 12: whoever holds the database and the HMAC key re-seals a rewritten log.
    events = record(4)
    path = audit_checkpoint_now()
    assert path is not None
    exported = tmp_path / "exported.json"
    exported.write_bytes(path.read_bytes())  # a copy kept off the server
    for stored in stored_checkpoints():
        Path(stored.name).unlink()  # ... and the server's copies destroyed
    with tamper():
        AuditEvent.objects.filter(seq=events[1].seq).update(patron_id=4242)
        _reseal_everything(django_capture_on_commit_callbacks)
    assert verify_chain().ok  # internally consistent: the chain alone cannot tell
    code, _, err = run_command("audit_verify", "--checkpoint", str(exported))
    assert code == 1
    assert f"checkpoint {exported}" in err and "rewritten" in err


def test_tail_cut_is_caught_against_the_checkpoints_in_the_directory(record, tamper) -> None:
    events = record(4)
    path = audit_checkpoint_now()
    (Path(path).parent / "sealed-head.json").unlink()  # type: ignore[arg-type]
    with tamper():
        AuditEvent.objects.filter(seq=events[-1].seq).delete()
        AuditSeal.objects.filter(seq=events[-1].seq).delete()
    result = verify_chain()
    assert not result.ok
    assert f"checkpoint {path}" in result.problem and "tail was cut" in result.problem


def test_a_purge_cannot_claim_events_a_checkpoint_shows_were_recent(
    record, tamper, django_capture_on_commit_callbacks
) -> None:
    events = record(3)
    path = audit_checkpoint_now()
    # A forged purge (with the HMAC key) claiming to have removed the first two, recent, events.
    through = AuditSeal.objects.get(seq=events[1].seq)
    with tamper():
        AuditEvent.objects.filter(seq__lte=events[1].seq).delete()
        AuditSeal.objects.filter(seq__lte=events[1].seq).delete()
        AuditEvent.objects.create(
            occurred_at=events[2].occurred_at,
            action="audit.purge",
            role="system",
            detail={
                "count": 2,
                "through_seq": through.seq,
                "through_hash": through.hash,
                "cutoff": "2021-01-01T00:00:00+00:00",
            },
        )
        with django_capture_on_commit_callbacks(execute=True):
            audit_seal_committed()
    # The checkpoint names event 3, still there; one naming event 2 catches the purge.
    assert path is not None
    from privacy_admin.audit.checkpoints import sign_checkpoint, signing_key, write_checkpoint

    write_checkpoint(
        sign_checkpoint(
            seq=events[1].seq, hash_=through.hash, event_at=events[1].occurred_at, key=signing_key()
        )
    )
    result = verify_chain()
    assert not result.ok and "newer than the retention period" in result.problem


def test_latest_daily_is_the_newest_checkpoint(record) -> None:
    record(1)
    audit_checkpoint_now()
    record(1)
    second = audit_checkpoint_now()
    latest = latest_daily()
    assert latest is not None and latest.name == str(second)


@pytest.mark.django_db(transaction=True)
def test_sealed_head_file_follows_a_committed_seal(record, settings) -> None:
    events = record(2, seal=False)
    with transaction.atomic():
        audit_seal_committed()
    head = json.loads((Path(settings.AUDIT_CHECKPOINT_DIR) / "sealed-head.json").read_text())
    assert head["seq"] == events[-1].seq
