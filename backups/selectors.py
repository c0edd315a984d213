"""Reads of the backup-media register. The register holds no personal data; only administrators read it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, IntegerField, Q, Value, When

from .models import BackupMedium


def media_for_register(*, today: dt.date, status: str = "") -> Any:
    """Media for the register page: those past retention first, then those kept, then the destroyed."""
    qs = BackupMedium.objects.select_related("confirmed_by", "created_by")
    if status == BackupMedium.Status.DESTROYED:
        qs = qs.filter(destroyed_on__isnull=False)
    elif status == BackupMedium.Status.OVERDUE:
        qs = qs.filter(destroyed_on__isnull=True, retain_until__lt=today)
    elif status == BackupMedium.Status.KEPT:
        qs = qs.filter(destroyed_on__isnull=True, retain_until__gte=today)
    return qs.annotate(
        status_order=Case(
            When(Q(destroyed_on__isnull=True, retain_until__lt=today), then=Value(0)),
            When(destroyed_on__isnull=True, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("status_order", "retain_until", "-taken_at", "-pk")


def media_counts(*, today: dt.date) -> dict[str, int]:
    pending = BackupMedium.objects.filter(destroyed_on__isnull=True)
    return {
        BackupMedium.Status.OVERDUE: pending.filter(retain_until__lt=today).count(),
        BackupMedium.Status.KEPT: pending.filter(retain_until__gte=today).count(),
        BackupMedium.Status.DESTROYED: BackupMedium.objects.filter(destroyed_on__isnull=False).count(),
    }
