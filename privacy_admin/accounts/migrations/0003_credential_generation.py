"""The credential generation (``accounts.tokens``): one row that PostgreSQL triggers move to a fresh
value whenever an answer to a bearer token may change, so that a process's remembered token lookups
are dropped by the first request after a revocation, a deactivation or a change of roles.

The value comes from a sequence of its own (owned by no table: a test database's flush never resets
it), so a value is never seen twice. The triggers upsert the row: after a flush it comes back with
the next change. On other databases there are no triggers and no row, and nothing is remembered.
"""

from django.conf import settings
from django.db import migrations, models

_SEQ = "accounts_credential_generation_seq"
_FUNCTION = "accounts_credential_generation_bump"


def _tables(apps):  # type: ignore[no-untyped-def]
    user = apps.get_model(settings.AUTH_USER_MODEL)
    return {
        "user": user._meta.db_table,
        "user_groups": user._meta.get_field("groups").remote_field.through._meta.db_table,
        "group": apps.get_model("auth", "Group")._meta.db_table,
        "token": apps.get_model("accounts", "ApiToken")._meta.db_table,
        "generation": apps.get_model("accounts", "CredentialGeneration")._meta.db_table,
    }


def _install(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    t = _tables(apps)
    statements = [
        f"CREATE SEQUENCE IF NOT EXISTS {_SEQ}",
        f"""
        CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {t["generation"]} (id, value) VALUES (1, nextval('{_SEQ}'))
            ON CONFLICT (id) DO UPDATE SET value = excluded.value;
            RETURN NULL;
        END
        $$
        """,
        # The account: active, superuser (a role), username (what the access log records).
        f"""
        CREATE TRIGGER accounts_credential_user_changed AFTER UPDATE ON {t["user"]} FOR EACH ROW
        WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active OR OLD.is_superuser IS DISTINCT FROM NEW.is_superuser
              OR OLD.username IS DISTINCT FROM NEW.username OR OLD.id IS DISTINCT FROM NEW.id)
        EXECUTE FUNCTION {_FUNCTION}()
        """,
        f"""
        CREATE TRIGGER accounts_credential_user_gone AFTER DELETE OR TRUNCATE ON {t["user"]}
        FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()
        """,
        # Roles: group memberships and the groups themselves.
        f"""
        CREATE TRIGGER accounts_credential_roles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
        ON {t["user_groups"]} FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()
        """,
        f"""
        CREATE TRIGGER accounts_credential_group_changed AFTER UPDATE OR DELETE OR TRUNCATE ON {t["group"]}
        FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()
        """,
        # The token: revoked, re-keyed, moved to another user, deleted (last_used_at changes nothing).
        f"""
        CREATE TRIGGER accounts_credential_token_changed AFTER UPDATE ON {t["token"]} FOR EACH ROW
        WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.key_hash IS DISTINCT FROM NEW.key_hash
              OR OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.id IS DISTINCT FROM NEW.id)
        EXECUTE FUNCTION {_FUNCTION}()
        """,
        f"""
        CREATE TRIGGER accounts_credential_token_gone AFTER DELETE OR TRUNCATE ON {t["token"]}
        FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()
        """,
        f"INSERT INTO {t['generation']} (id, value) VALUES (1, nextval('{_SEQ}')) ON CONFLICT (id) DO NOTHING",
    ]
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _uninstall(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    t = _tables(apps)
    drops = [
        ("accounts_credential_user_changed", t["user"]),
        ("accounts_credential_user_gone", t["user"]),
        ("accounts_credential_roles_changed", t["user_groups"]),
        ("accounts_credential_group_changed", t["group"]),
        ("accounts_credential_token_changed", t["token"]),
        ("accounts_credential_token_gone", t["token"]),
    ]
    with schema_editor.connection.cursor() as cursor:
        for name, table in drops:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {_FUNCTION}()")
        cursor.execute(f"DROP SEQUENCE IF EXISTS {_SEQ}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_passwordhistory_passwordstate"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CredentialGeneration",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("value", models.BigIntegerField()),
            ],
            options={
                "verbose_name": "認証情報の世代",
                "verbose_name_plural": "認証情報の世代",
            },
        ),
        migrations.RunPython(_install, _uninstall, elidable=False),
    ]
