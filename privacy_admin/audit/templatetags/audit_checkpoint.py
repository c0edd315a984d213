"""``{% latest_audit_checkpoint as cp %}``: the newest signed checkpoint, for the public register page."""

from __future__ import annotations

from django import template

from privacy_admin.audit.checkpoints import Checkpoint, latest_daily

register = template.Library()


@register.simple_tag
def latest_audit_checkpoint() -> Checkpoint | None:
    return latest_daily()
