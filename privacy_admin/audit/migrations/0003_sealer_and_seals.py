"""Seals move out of the event rows into AuditSeal, written by the sealer after commit.

Before the old per-event seal columns and the chain head are dropped, the old chain is verified (with
AUDIT_CHAIN_KEY, or the key earlier versions derived from SECRET_KEY): a log that was already altered
must not be laundered into the new chain. The events themselves are kept and sealed by the first run
of the sealer, like any committed event.
"""

import datetime as dt
import hashlib
import hmac
import json
import os

from django.conf import settings
from django.db import migrations, models

_GENESIS = "0" * 64
_OLD_SEALED = (
    "seq", "occurred_at", "actor_id", "actor_username", "role", "action", "target_type", "target_id",
    "patron_id", "branch_code", "outcome", "ip", "request_id", "detail",
)


def _old_seal(key, prev_hash, fields):
    def default(value):
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        raise TypeError(type(value).__name__)

    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=default)
    return hmac.new(key.encode(), prev_hash.encode() + b"|" + canonical.encode(), hashlib.sha256).hexdigest()


def _old_chain_ok(AuditEvent, head, key):
    prev = (head.anchor_hash if head and head.anchor_seq else "") or _GENESIS
    expected = (head.anchor_seq if head else 0) + 1
    last = 0
    for row in AuditEvent.objects.order_by("seq").values_list(*_OLD_SEALED, "prev_hash", "hash").iterator(2000):
        fields = dict(zip(_OLD_SEALED, row[:-2]))
        if row[0] != expected or row[-2] != prev or _old_seal(key, prev, fields) != row[-1]:
            return False, row[0]
        prev, expected, last = row[-1], row[0] + 1, row[0]
    if head is not None and head.last_seq and head.last_seq != last:
        return False, last + 1
    return True, None


def verify_legacy_chain(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    if not AuditEvent.objects.exists():
        return
    head = ChainHead.objects.filter(pk=1).first()
    bad = None
    for key in {settings.AUDIT_CHAIN_KEY, f"audit-chain:{settings.SECRET_KEY}"}:
        ok, bad = _old_chain_ok(AuditEvent, head, key)
        if ok:
            return
    if os.environ.get("AUDIT_ACCEPT_BROKEN_LEGACY_CHAIN") == "1":
        return
    raise RuntimeError(
        f"The access log's existing chain is broken at event {bad}: run the previous version's "
        "audit_verify, keep the evidence, and set AUDIT_ACCEPT_BROKEN_LEGACY_CHAIN=1 to migrate anyway. "
        f"/ 既存のアクセスログの連鎖がログ {bad} で壊れています。"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_trigger'),
    ]

    operations = [
        migrations.RunPython(verify_legacy_chain, migrations.RunPython.noop, elidable=True),
        migrations.CreateModel(
            name='AuditSeal',
            fields=[
                ('seq', models.BigIntegerField(primary_key=True, serialize=False)),
                ('prev_seq', models.BigIntegerField()),
                ('hash', models.CharField(max_length=64)),
            ],
            options={
                'verbose_name': 'ログの封印',
            },
        ),
        migrations.CreateModel(
            name='AuditSealState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('last_seq', models.BigIntegerField(default=0)),
                ('last_hash', models.CharField(default='', max_length=64)),
                ('pending_seq', models.BigIntegerField(default=0)),
                ('pending_xids', models.TextField(blank=True, default='')),
                ('sealed_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'verbose_name': '封印の進行状況',
            },
        ),
        migrations.DeleteModel(
            name='ChainHead',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='hash',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='prev_hash',
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='seq',
            field=models.BigAutoField(primary_key=True, serialize=False),
        ),
    ]
