"""The access log is append-only in the database itself, not only in the application.

On PostgreSQL a row trigger refuses every UPDATE and DELETE on audit_auditevent. The retention purge
is the one DELETE let through: it sets ``audit.purge_before`` with ``set_config(..., true)`` (local
to its transaction) and may then delete rows older than that instant. TRUNCATE is not guarded
(pytest-django flushes with it); a truncated log is caught by ``audit_verify`` through the chain head.

Also creates the chain head row (pk=1) on every database, so the first event has a row to lock.
"""

from django.db import migrations

GENESIS = "0" * 64

CREATE_SQL = r"""
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    -- After a SET LOCAL ends, a custom setting reads back as '' rather than NULL.
    purge_before timestamptz := NULLIF(current_setting('audit.purge_before', true), '')::timestamptz;
BEGIN
    IF TG_OP = 'DELETE' AND purge_before IS NOT NULL AND OLD.occurred_at < purge_before THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING
        ERRCODE = 'insufficient_privilege',
        MESSAGE = 'audit_auditevent is append-only / アクセスログは変更・削除できません',
        HINT = 'Only the retention purge may delete events older than the retention period.';
END;
$$;

DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


def create_chain_head(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    ChainHead.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"last_seq": 0, "last_hash": GENESIS, "anchor_seq": 0, "anchor_hash": ""}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger, elidable=False),
        migrations.RunPython(create_chain_head, migrations.RunPython.noop, elidable=False),
    ]
