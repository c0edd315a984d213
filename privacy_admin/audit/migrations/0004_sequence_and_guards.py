"""PostgreSQL only: the event sequence and the triggers that keep the log append-only.

- ``seq`` is taken by ``audit_next_seq()``, which makes the writer's transaction take its id before it
  takes the number (the sealer's horizon depends on that order; see ``sealer``). Nothing else is
  shared between writers.
- UPDATE of an event or a seal is refused.
- DELETE of an event is refused unless it is older than the retention period written into the
  trigger function here, from AUDIT_RETENTION_YEARS at migration time. No session setting is consulted:
  ``SET LOCAL anything`` changes nothing. (django-pgtrigger is not used for these: every function it
  generates lets a session skip the trigger with ``SET pgtrigger.ignore``.)
- DELETE of a seal is refused while its event exists (the purge deletes the event first).
- TRUNCATE of either table is refused by a statement trigger — except in a test database created by
  the test run, where Django flushes tables between transactional tests with TRUNCATE.

Replaces the trigger of 0002, whose DELETE permission came from a session setting.
"""

from django.conf import settings
from django.db import migrations



SEQUENCE_SQL = """
ALTER TABLE audit_auditevent ALTER COLUMN seq DROP IDENTITY IF EXISTS;
ALTER TABLE audit_auditevent ALTER COLUMN seq DROP DEFAULT;
CREATE SEQUENCE IF NOT EXISTS audit_auditevent_seq OWNED BY audit_auditevent.seq;
SELECT setval('audit_auditevent_seq', coalesce((SELECT max(seq) FROM audit_auditevent), 0) + 1, false);
CREATE OR REPLACE FUNCTION audit_next_seq() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    -- The transaction id first, then the number: every seq the sealer reads was taken by a
    -- transaction whose id it can see (sealer.py).
    PERFORM pg_current_xact_id();
    RETURN nextval('audit_auditevent_seq');
END;
$$;
ALTER TABLE audit_auditevent ALTER COLUMN seq SET DEFAULT audit_next_seq();
"""


def guard_sql(*, retention_years: int, time_zone: str, allow_truncate: bool) -> str:
    """The guard functions and triggers. Tests call it to install the production variant."""
    years = int(retention_years)
    tz = time_zone.replace("'", "")
    truncate_body = "RETURN NULL;" if allow_truncate else ""
    return f"""
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_append_only();

CREATE OR REPLACE FUNCTION audit_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = TG_TABLE_NAME || ' is append-only / アクセスログは変更・削除できません',
        HINT = 'Events and seals are never changed.';
END;
$$;

CREATE OR REPLACE FUNCTION audit_event_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The retention period ({years} years, calendar years in {tz}) is fixed here by the migration.
    IF OLD.occurred_at < ((now() AT TIME ZONE '{tz}') - make_interval(years => {years})) AT TIME ZONE '{tz}' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'audit_auditevent is append-only / アクセスログは変更・削除できません',
        HINT = 'Only events older than the retention period ({years} years) can be deleted.';
END;
$$;

CREATE OR REPLACE FUNCTION audit_seal_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM audit_auditevent WHERE seq = OLD.seq) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'audit_auditseal is append-only / アクセスログは変更・削除できません',
        HINT = 'A seal leaves only after its event was purged.';
END;
$$;

CREATE OR REPLACE FUNCTION audit_truncate_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {truncate_body}
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = TG_TABLE_NAME || ' is append-only / アクセスログは変更・削除できません',
        HINT = 'TRUNCATE is refused; only the retention purge removes events.';
END;
$$;

DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_update();
DROP TRIGGER IF EXISTS audit_event_delete ON audit_auditevent;
CREATE TRIGGER audit_event_delete BEFORE DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_delete_guard();
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_truncate_guard();

DROP TRIGGER IF EXISTS audit_seal_no_update ON audit_auditseal;
CREATE TRIGGER audit_seal_no_update BEFORE UPDATE ON audit_auditseal
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_update();
DROP TRIGGER IF EXISTS audit_seal_delete ON audit_auditseal;
CREATE TRIGGER audit_seal_delete BEFORE DELETE ON audit_auditseal
    FOR EACH ROW EXECUTE FUNCTION audit_seal_delete_guard();
DROP TRIGGER IF EXISTS audit_seal_no_truncate ON audit_auditseal;
CREATE TRIGGER audit_seal_no_truncate BEFORE TRUNCATE ON audit_auditseal
    FOR EACH STATEMENT EXECUTE FUNCTION audit_truncate_guard();
"""


def _is_test_database(connection) -> bool:
    return bool(getattr(settings, "TESTING", False)) and str(connection.settings_dict["NAME"]).startswith("test")


def install(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    schema_editor.execute(SEQUENCE_SQL)
    schema_editor.execute(
        guard_sql(
            retention_years=settings.AUDIT_RETENTION_YEARS,
            time_zone=settings.TIME_ZONE,
            allow_truncate=_is_test_database(connection),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_sealer_and_seals"),
    ]

    operations = [
        migrations.RunPython(install, migrations.RunPython.noop, elidable=False),
    ]
