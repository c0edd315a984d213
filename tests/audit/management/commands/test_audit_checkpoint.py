"""``manage.py audit_checkpoint``: signs the sealed head; a rotation checkpoint vouches for the next key."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from privacy_admin.audit.checkpoints import (
    stored_checkpoints,
)
from privacy_admin.audit.models import AuditSeal
from privacy_admin.audit.verify import verify_chain
from tests.audit.helpers import run_command

pytestmark = pytest.mark.django_db


def test_checkpoint_command_signs_the_sealed_head(record, settings) -> None:
    events = record(3, seal=False)
    code, out, _ = run_command("audit_checkpoint")
    assert code == 0 and "checkpoint written" in out
    (cp,) = stored_checkpoints()
    assert (cp.seq, cp.hash) == (events[-1].seq, AuditSeal.objects.get(seq=events[-1].seq).hash)
    assert Path(settings.AUDIT_CHECKPOINT_DEFAULT_KEY_FILE).stat().st_mode & 0o777 == 0o600
    data = json.loads(Path(cp.name).read_text())
    assert set(data) >= {"seq", "hash", "created_at", "public_key", "signature"}


def test_rotation_checkpoint_vouches_for_the_next_key(record, settings, tmp_path) -> None:
    record(1)
    next_key = Ed25519PrivateKey.generate()
    key_file = tmp_path / "next.key"
    key_file.write_text(base64.b64encode(next_key.private_bytes_raw()).decode())
    assert run_command("audit_checkpoint", "--next-key", str(key_file))[0] == 0
    settings.AUDIT_CHECKPOINT_KEY = key_file.read_text()
    record(1)
    assert run_command("audit_checkpoint")[0] == 0
    result = verify_chain()
    assert result.ok, result.problem
    assert result.checkpoints == 2
