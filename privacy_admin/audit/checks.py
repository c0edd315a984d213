"""System checks of the access log's keys (shown by ``manage.py check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def audit_keys(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    warnings = []
    if getattr(settings, "AUDIT_CHAIN_KEY_GENERATED", False):
        warnings.append(
            Warning(
                "AUDIT_CHAIN_KEY は設定されていません。var/ に生成した鍵はデータベースの隣にあり、"
                "アクセスログの封印を守りません。",
                hint="Set AUDIT_CHAIN_KEY (or AUDIT_CHAIN_KEY_FILE) to a key kept apart from the database "
                "and its backups (README: Access log: sealing, checkpoints, keys).",
                id="audit.W001",
            )
        )
    if not getattr(settings, "AUDIT_CHECKPOINT_KEY", ""):
        warnings.append(
            Warning(
                "AUDIT_CHECKPOINT_KEY は設定されていません。チェックポイントの署名鍵をサーバーのデータとは別に管理してください。",
                hint="Set AUDIT_CHECKPOINT_KEY (or AUDIT_CHECKPOINT_KEY_FILE): an Ed25519 private key, PEM or base64.",
                id="audit.W002",
            )
        )
    return warnings
