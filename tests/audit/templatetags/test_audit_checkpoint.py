"""``{% latest_audit_checkpoint as cp %}``: the newest signed checkpoint for the public register page,
nothing when none has been written."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from privacy_admin.audit.checkpoints import audit_checkpoint_now

pytestmark = pytest.mark.django_db

TEMPLATE = "{% load audit_checkpoint %}{% latest_audit_checkpoint as cp %}{% if cp %}{{ cp.seq }}{% else %}none{% endif %}"


def render() -> str:
    return Template(TEMPLATE).render(Context())


def test_no_checkpoint_renders_nothing(db) -> None:
    assert render() == "none"


def test_the_newest_checkpoint_is_given(record) -> None:
    events = record(1)
    audit_checkpoint_now()
    events += record(2)
    audit_checkpoint_now()
    assert render() == str(events[-1].seq)
