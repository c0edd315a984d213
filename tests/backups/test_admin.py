"""backups.admin: the backup-media register is read only in the admin — media are recorded and destroyed
through the register page and ``manage.py backup``, whose services write the access log."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from backups.models import BackupMedium

from .conftest import make_medium

pytestmark = pytest.mark.django_db


def test_the_admin_can_neither_add_change_nor_delete(administrator) -> None:
    model_admin = admin.site._registry[BackupMedium]
    request = RequestFactory().get("/admin/backups/backupmedium/")
    request.user = administrator
    medium = make_medium()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, medium)
    assert not model_admin.has_delete_permission(request, medium)
