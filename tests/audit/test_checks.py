"""privacy_admin.audit.checks: the deploy check warns about generated keys."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

pytestmark = pytest.mark.django_db


def test_deploy_check_warns_about_generated_keys(settings) -> None:
    from privacy_admin.audit.checks import audit_keys

    settings.AUDIT_CHAIN_KEY_GENERATED = True
    settings.AUDIT_CHECKPOINT_KEY = ""
    assert {w.id for w in audit_keys()} == {"audit.W001", "audit.W002"}
    settings.AUDIT_CHAIN_KEY_GENERATED = False
    settings.AUDIT_CHECKPOINT_KEY = base64.b64encode(
        Ed25519PrivateKey.generate().private_bytes_raw()
    ).decode()
    assert audit_keys() == []
